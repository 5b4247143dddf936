import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { sysPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

/** cpufreq attribute (kHz) -> node_exporter metric name and HELP. */
const ATTRIBUTES: [file: string, metric: string, help: string][] = [
  ['cpuinfo_cur_freq', 'node_cpu_frequency_hertz', 'Current cpu thread frequency in hertz.'],
  ['cpuinfo_max_freq', 'node_cpu_frequency_max_hertz', 'Maximum cpu thread frequency in hertz.'],
  ['cpuinfo_min_freq', 'node_cpu_frequency_min_hertz', 'Minimum cpu thread frequency in hertz.'],
  ['scaling_cur_freq', 'node_cpu_scaling_frequency_hertz', 'Current scaled CPU thread frequency in hertz.'],
  [
    'scaling_max_freq',
    'node_cpu_scaling_frequency_max_hertz',
    'Maximum scaled CPU thread frequency in hertz.',
  ],
  [
    'scaling_min_freq',
    'node_cpu_scaling_frequency_min_hertz',
    'Minimum scaled CPU thread frequency in hertz.',
  ],
];

export type CpuFrequencies = { cpu: string; khz: (number | undefined)[] }[];

/** Reads every cpuN/cpufreq directory; CPUs without cpufreq (most VMs) are skipped. */
export function readCpuFrequencies(files: KernelFiles, cpuDir: string): CpuFrequencies {
  const out: CpuFrequencies = [];
  // cpuN/cpufreq link to cpufreq/policyM: no policy, no cpufreq (one readdir instead of one per CPU).
  if (!files.list(`${cpuDir}/cpufreq`).some((e) => e.startsWith('policy'))) return out;
  for (const entry of files.list(cpuDir)) {
    if (!/^cpu\d+$/.test(entry)) continue;
    const dir = `${cpuDir}/${entry}/cpufreq`;
    // Most VMs have no cpufreq: one cheap check instead of six failed reads per CPU.
    const present = new Set(files.list(dir));
    if (present.size === 0) continue;
    const khz = ATTRIBUTES.map(([file]) => (present.has(file) ? files.number(`${dir}/${file}`) : undefined));
    if (khz.every((v) => v === undefined)) continue;
    out.push({ cpu: entry.slice(3), khz });
  }
  return out.sort((a, b) => Number(a.cpu) - Number(b.cpu));
}

export function cpufreqFamilies(cpus: CpuFrequencies): MetricFamily[] {
  // Most virtual machines: nothing to say, and no six empty families to build on every scrape.
  if (cpus.length === 0) return [];
  return ATTRIBUTES.map(([, metric, help], i) =>
    gauge(
      metric,
      help,
      cpus
        .filter((c) => c.khz[i] !== undefined)
        .map((c) => ({ labels: { cpu: c.cpu }, value: (c.khz[i] as number) * 1000 })),
    ),
  );
}

export const cpufreqCollector: NodeCollectorSpec = {
  name: 'cpufreq',
  defaultEnabled: true,
  help: 'CPU frequencies from /sys/devices/system/cpu/cpu*/cpufreq',
  create: ({ paths }) => {
    const files = new KernelFiles();
    const dir = sysPath(paths, 'devices/system/cpu');
    let cpus = 0;
    return {
      name: 'cpufreq',
      collect: () =>
        files.round(() => {
          const freqs = readCpuFrequencies(files, dir);
          cpus = freqs.length;
          return cpufreqFamilies(freqs);
        }),
      absentReason: () =>
        cpus === 0 ? 'cpufreq: no cpufreq data in /sys (usual in virtual machines)' : undefined,
      stop: () => files.close(),
    };
  },
};
