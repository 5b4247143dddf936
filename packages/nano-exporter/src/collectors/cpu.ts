import { counter, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, parseNumber } from '../text-fields.js';

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture. */
const USER_HZ = 100;
const MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

export interface CpuTimes {
  cpu: string;
  /** Seconds per mode, in /proc/stat order. */
  seconds: Record<(typeof MODES)[number], number>;
  guest: number;
  guestNice: number;
}

/** The per-CPU `cpuN` lines of /proc/stat (the aggregate `cpu` line is skipped). */
export function parseCpuTimes(text: string): CpuTimes[] {
  const out: CpuTimes[] = [];
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    // Lines are "cpu  ..." (total) then "cpu0 ...": only digits right after "cpu" count.
    if (text.startsWith('cpu', pos) && text.charCodeAt(pos + 3) >= 48 && text.charCodeAt(pos + 3) <= 57) {
      const f = fields(text.slice(pos, end));
      const cpu = f[0].slice(3);
      const seconds = {} as CpuTimes['seconds'];
      for (let i = 0; i < MODES.length; i++) {
        seconds[MODES[i]] = parseNumber(f[i + 1] ?? '0', `/proc/stat ${f[0]} ${MODES[i]}`) / USER_HZ;
      }
      out.push({ cpu, seconds, guest: Number(f[9] ?? 0) / USER_HZ, guestNice: Number(f[10] ?? 0) / USER_HZ });
    }
    pos = end + 1;
  }
  if (out.length === 0) throw new Error('/proc/stat: no cpuN lines');
  return out;
}

export function cpuFamilies(cpus: CpuTimes[]): MetricFamily[] {
  const seconds = counter('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.', []);
  const guest = counter(
    'node_cpu_guest_seconds_total',
    'Seconds the CPUs spent in guests (VMs) for each mode.',
    [],
  );
  for (const c of cpus) {
    for (const mode of MODES) seconds.samples.push({ labels: { cpu: c.cpu, mode }, value: c.seconds[mode] });
    guest.samples.push({ labels: { cpu: c.cpu, mode: 'nice' }, value: c.guestNice });
    guest.samples.push({ labels: { cpu: c.cpu, mode: 'user' }, value: c.guest });
  }
  return [seconds, guest];
}

export const cpuCollector: NodeCollectorSpec = {
  name: 'cpu',
  defaultEnabled: true,
  help: 'CPU time per mode from /proc/stat',
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'cpu',
      collect: () => files.round(() => cpuFamilies(parseCpuTimes(files.text(procPath(paths, 'stat'))))),
      stop: () => files.close(),
    };
  },
};
