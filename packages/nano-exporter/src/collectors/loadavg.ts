import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, parseNumber } from '../text-fields.js';

/** The three load averages from /proc/loadavg. */
export function parseLoadavg(text: string): [number, number, number] {
  const f = fields(text.trim());
  if (f.length < 3)
    throw new Error(
      `/proc/loadavg: expected 3 load averages, got ${JSON.stringify(text.trim().slice(0, 60))}`,
    );
  return [
    parseNumber(f[0], '/proc/loadavg load1'),
    parseNumber(f[1], '/proc/loadavg load5'),
    parseNumber(f[2], '/proc/loadavg load15'),
  ];
}

export function loadavgFamilies([l1, l5, l15]: [number, number, number]): MetricFamily[] {
  return [
    gauge('node_load1', '1m load average.', [{ value: l1 }]),
    gauge('node_load5', '5m load average.', [{ value: l5 }]),
    gauge('node_load15', '15m load average.', [{ value: l15 }]),
  ];
}

export const loadavgCollector: NodeCollectorSpec = {
  name: 'loadavg',
  defaultEnabled: true,
  help: 'load averages from /proc/loadavg',
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'loadavg',
      collect: () => files.round(() => loadavgFamilies(parseLoadavg(files.text(procPath(paths, 'loadavg'))))),
      stop: () => files.close(),
    };
  },
};
