import { counter, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines, parseNumber } from '../text-fields.js';

export interface CpuSchedstat {
  cpu: string;
  runningNs: number;
  waitingNs: number;
  timeslices: number;
}

/** The `cpuN` lines of /proc/schedstat: fields 7-9 are running ns, waiting ns, timeslices. */
export function parseSchedstat(text: string): CpuSchedstat[] {
  const out: CpuSchedstat[] = [];
  for (const line of lines(text)) {
    if (!line.startsWith('cpu')) continue;
    const f = fields(line);
    if (f.length < 10)
      throw new Error(`/proc/schedstat: ${f[0]} has ${f.length - 1} fields, expected at least 9`);
    out.push({
      cpu: f[0].slice(3),
      runningNs: parseNumber(f[7], `/proc/schedstat ${f[0]}`),
      waitingNs: parseNumber(f[8], `/proc/schedstat ${f[0]}`),
      timeslices: parseNumber(f[9], `/proc/schedstat ${f[0]}`),
    });
  }
  return out;
}

export function schedstatFamilies(cpus: CpuSchedstat[]): MetricFamily[] {
  const running: Sample[] = [];
  const waiting: Sample[] = [];
  const slices: Sample[] = [];
  for (const c of cpus) {
    const labels = { cpu: c.cpu };
    running.push({ labels, value: c.runningNs / 1e9 });
    waiting.push({ labels, value: c.waitingNs / 1e9 });
    slices.push({ labels, value: c.timeslices });
  }
  return [
    counter(
      'node_schedstat_running_seconds_total',
      'Number of seconds CPU spent running a process.',
      running,
    ),
    counter(
      'node_schedstat_waiting_seconds_total',
      'Number of seconds spent by processing waiting for this CPU.',
      waiting,
    ),
    counter('node_schedstat_timeslices_total', 'Number of timeslices executed by CPU.', slices),
  ];
}

export const schedstatCollector: NodeCollectorSpec = {
  name: 'schedstat',
  defaultEnabled: true,
  help: 'per-CPU scheduler statistics from /proc/schedstat',
  create: ({ paths }) => {
    const files = new KernelFiles();
    let absent = false;
    return {
      name: 'schedstat',
      collect: () =>
        files.round(() => {
          const text = files.optional(procPath(paths, 'schedstat'));
          absent = text === undefined;
          return text === undefined ? [] : schedstatFamilies(parseSchedstat(text));
        }),
      absentReason: () =>
        absent ? 'schedstat: no /proc/schedstat (kernel built without CONFIG_SCHEDSTATS)' : undefined,
      stop: () => files.close(),
    };
  },
};
