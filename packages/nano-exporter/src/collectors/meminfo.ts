import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { FamilyNames } from '../family-names.js';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

/**
 * /proc/meminfo as node_exporter names it: `Active(anon)` becomes `Active_anon`, and fields in kB
 * become `<name>_bytes` in bytes; counts (HugePages_Total) keep their name.
 */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines(text)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`/proc/meminfo: unexpected line ${JSON.stringify(line.slice(0, 60))}`);
    const f = fields(line.slice(colon + 1));
    const value = Number(f[0]);
    if (f.length === 0 || Number.isNaN(value))
      throw new Error(`/proc/meminfo: bad value in ${JSON.stringify(line.slice(0, 60))}`);
    let key = line.slice(0, colon).replace('(', '_').replace(')', '');
    let v = value;
    if (f[1] === 'kB') {
      key += '_bytes';
      v *= 1024;
    }
    out.set(key, v);
  }
  if (out.size === 0) throw new Error('/proc/meminfo: empty');
  return out;
}

const meminfoNames = (key: string) => ({
  name: `node_memory_${key}`,
  help: `Memory information field ${key}.`,
});

export function meminfoFamilies(
  mem: Map<string, number>,
  names = new FamilyNames(meminfoNames),
): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const [key, value] of mem) {
    const n = names.get(key);
    out.push(gauge(n.name, n.help, [{ value }]));
  }
  return out;
}

export const meminfoCollector: NodeCollectorSpec = {
  name: 'meminfo',
  defaultEnabled: true,
  help: 'memory statistics from /proc/meminfo',
  create: ({ paths }) => {
    const files = new KernelFiles();
    const names = new FamilyNames(meminfoNames);
    return {
      name: 'meminfo',
      collect: () =>
        files.round(() => meminfoFamilies(parseMeminfo(files.text(procPath(paths, 'meminfo'))), names)),
      stop: () => files.close(),
    };
  },
};
