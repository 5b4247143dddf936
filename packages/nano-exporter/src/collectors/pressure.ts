import { counter, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

/** `total=` (microseconds) of the `some` and `full` lines of one /proc/pressure file. */
export function parsePressure(text: string, what: string): { some?: number; full?: number } {
  const out: { some?: number; full?: number } = {};
  for (const line of lines(text)) {
    const f = fields(line);
    const total = f.find((x) => x.startsWith('total='));
    if ((f[0] !== 'some' && f[0] !== 'full') || !total)
      throw new Error(`${what}: unexpected line ${JSON.stringify(line.slice(0, 60))}`);
    const value = Number(total.slice(6));
    if (Number.isNaN(value)) throw new Error(`${what}: bad total in ${JSON.stringify(line.slice(0, 60))}`);
    // Divided in two steps like node_exporter, so the float is bit-identical.
    out[f[0]] = value / 1000 / 1000;
  }
  return out;
}

type Psi = {
  cpu?: { some?: number };
  io?: { some?: number; full?: number };
  memory?: { some?: number; full?: number };
};

export function pressureFamilies(p: Psi): MetricFamily[] {
  const one = (name: string, help: string, v: number | undefined) =>
    counter(name, help, v === undefined ? [] : [{ value: v }]);
  return [
    one(
      'node_pressure_cpu_waiting_seconds_total',
      'Total time in seconds that processes have waited for CPU time',
      p.cpu?.some,
    ),
    one(
      'node_pressure_io_waiting_seconds_total',
      'Total time in seconds that processes have waited due to IO congestion',
      p.io?.some,
    ),
    one(
      'node_pressure_io_stalled_seconds_total',
      'Total time in seconds no process could make progress due to IO congestion',
      p.io?.full,
    ),
    one(
      'node_pressure_memory_waiting_seconds_total',
      'Total time in seconds that processes have waited for memory',
      p.memory?.some,
    ),
    one(
      'node_pressure_memory_stalled_seconds_total',
      'Total time in seconds no process could make progress due to memory congestion',
      p.memory?.full,
    ),
  ];
}

export const pressureCollector: NodeCollectorSpec = {
  name: 'pressure',
  defaultEnabled: true,
  help: 'pressure stall information from /proc/pressure (kernel 4.20+ with PSI)',
  create: ({ paths }) => {
    const files = new KernelFiles();
    let absent = false;
    return {
      name: 'pressure',
      collect: () =>
        files.round(() => {
          const psi: Psi = {};
          for (const resource of ['cpu', 'io', 'memory'] as const) {
            const path = procPath(paths, `pressure/${resource}`);
            const text = files.optional(path);
            if (text !== undefined) psi[resource] = parsePressure(text, path);
          }
          absent = !psi.cpu && !psi.io && !psi.memory;
          return pressureFamilies(psi);
        }),
      absentReason: () => (absent ? 'pressure: no /proc/pressure (kernel without PSI, or psi=0)' : undefined),
      stop: () => files.close(),
    };
  },
};
