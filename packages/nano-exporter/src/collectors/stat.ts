import { counter, gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { lines, parseNumber } from '../text-fields.js';

export interface KernelStat {
  bootTime: number;
  contextSwitches: number;
  forks: number;
  interrupts: number;
  procsRunning: number;
  procsBlocked: number;
}

/** The system-wide counters of /proc/stat (boot time, context switches, forks, interrupts, procs). */
export function parseKernelStat(text: string): KernelStat {
  const found = new Map<string, string>();
  for (const line of lines(text)) {
    if (line.startsWith('cpu')) continue;
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const key = line.slice(0, space);
    // `intr` has one total then one column per interrupt line: only the total is wanted.
    const rest = line.slice(space + 1);
    const next = rest.indexOf(' ');
    found.set(key, next < 0 ? rest : rest.slice(0, next));
  }
  const need = (key: string) => parseNumber(found.get(key), `/proc/stat ${key}`);
  return {
    bootTime: need('btime'),
    contextSwitches: need('ctxt'),
    forks: need('processes'),
    interrupts: need('intr'),
    procsRunning: need('procs_running'),
    procsBlocked: need('procs_blocked'),
  };
}

export function statFamilies(s: KernelStat): MetricFamily[] {
  return [
    gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', [{ value: s.bootTime }]),
    counter('node_context_switches_total', 'Total number of context switches.', [
      { value: s.contextSwitches },
    ]),
    counter('node_forks_total', 'Total number of forks.', [{ value: s.forks }]),
    counter('node_intr_total', 'Total number of interrupts serviced.', [{ value: s.interrupts }]),
    gauge('node_procs_blocked', 'Number of processes blocked waiting for I/O to complete.', [
      { value: s.procsBlocked },
    ]),
    gauge('node_procs_running', 'Number of processes in runnable state.', [{ value: s.procsRunning }]),
  ];
}

export const statCollector: NodeCollectorSpec = {
  name: 'stat',
  defaultEnabled: true,
  help: 'boot time, context switches, forks, interrupts and processes from /proc/stat',
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'stat',
      collect: () => files.round(() => statFamilies(parseKernelStat(files.text(procPath(paths, 'stat'))))),
      stop: () => files.close(),
    };
  },
};
