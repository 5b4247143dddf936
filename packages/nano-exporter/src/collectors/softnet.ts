import { counter, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

export interface SoftnetStat {
  cpu: string;
  processed: number;
  dropped: number;
  timeSqueezed: number;
}

/** /proc/net/softnet_stat: one line of hex columns per CPU (processed, dropped, time_squeeze, ...). */
export function parseSoftnet(text: string): SoftnetStat[] {
  return lines(text).map((line, i) => {
    const f = fields(line).map((x) => Number.parseInt(x, 16));
    if (f.length < 3 || f.slice(0, 3).some(Number.isNaN))
      throw new Error(`/proc/net/softnet_stat: malformed line ${i + 1}`);
    return { cpu: String(i), processed: f[0], dropped: f[1], timeSqueezed: f[2] };
  });
}

export function softnetFamilies(cpus: SoftnetStat[]): MetricFamily[] {
  const processed: Sample[] = [];
  const dropped: Sample[] = [];
  const squeezed: Sample[] = [];
  for (const c of cpus) {
    processed.push({ labels: { cpu: c.cpu }, value: c.processed });
    dropped.push({ labels: { cpu: c.cpu }, value: c.dropped });
    squeezed.push({ labels: { cpu: c.cpu }, value: c.timeSqueezed });
  }
  return [
    counter('node_softnet_processed_total', 'Number of processed packets', processed),
    counter('node_softnet_dropped_total', 'Number of dropped packets', dropped),
    counter(
      'node_softnet_times_squeezed_total',
      'Number of times processing packets ran out of quota',
      squeezed,
    ),
  ];
}

export const softnetCollector: NodeCollectorSpec = {
  name: 'softnet',
  defaultEnabled: true,
  help: 'per-CPU packet processing from /proc/net/softnet_stat',
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'softnet',
      collect: () =>
        files.round(() => softnetFamilies(parseSoftnet(files.text(procPath(paths, 'net/softnet_stat'))))),
      stop: () => files.close(),
    };
  },
};
