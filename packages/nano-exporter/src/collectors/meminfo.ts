import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { FamilyNames } from '../family-names.js';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

/**
 * /proc/meminfo as node_exporter names it: `Active(anon)` becomes `Active_anon`, and fields in kB
 * become `<name>_bytes` in bytes; counts (HugePages_Total) keep their name.
 */
/** Field name -> metric key, one map for kB fields and one for counts. */
export interface MeminfoKeys {
  kb: Map<string, string>;
  count: Map<string, string>;
}

export function parseMeminfo(
  text: string,
  keys: MeminfoKeys = { kb: new Map(), count: new Map() },
): Map<string, number> {
  const out = new Map<string, number>();
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (end === pos) {
      pos++;
      continue;
    }
    const colon = text.indexOf(':', pos);
    if (colon <= pos || colon > end)
      throw new Error(
        `/proc/meminfo: unexpected line ${JSON.stringify(text.slice(pos, Math.min(end, pos + 60)))}`,
      );
    const kb = text.startsWith(' kB', end - 3);
    // Number() skips the padding spaces: no split needed.
    const raw = text.slice(colon + 1, kb ? end - 3 : end);
    const value = Number(raw);
    if (raw.trim() === '' || Number.isNaN(value)) {
      throw new Error(
        `/proc/meminfo: bad value in ${JSON.stringify(text.slice(pos, Math.min(end, pos + 60)))}`,
      );
    }
    const field = text.slice(pos, colon);
    const known = kb ? keys.kb : keys.count;
    let key = known.get(field);
    if (key === undefined) {
      key = field.replace('(', '_').replace(')', '') + (kb ? '_bytes' : '');
      known.set(field, key);
    }
    out.set(key, kb ? value * 1024 : value);
    pos = end + 1;
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
  // forEach, not for-of: no iterator result and entry array per field (without an optimizing
  // compiler, for-of makes both).
  mem.forEach((value, key) => {
    const n = names.get(key);
    out.push(gauge(n.name, n.help, [{ value }]));
  });
  return out;
}

export const meminfoCollector: NodeCollectorSpec = {
  name: 'meminfo',
  defaultEnabled: true,
  help: 'memory statistics from /proc/meminfo',
  create: ({ paths }) => {
    const files = new KernelFiles();
    const names = new FamilyNames(meminfoNames);
    const keys: MeminfoKeys = { kb: new Map(), count: new Map() };
    return {
      name: 'meminfo',
      collect: () =>
        files.round(() => meminfoFamilies(parseMeminfo(files.text(procPath(paths, 'meminfo')), keys), names)),
      stop: () => files.close(),
    };
  },
};
