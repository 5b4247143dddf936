import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { familyFor } from '../family-names.js';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

/** kstat file under /proc/spl/kstat/zfs -> node_exporter's subsystem name. */
const KSTAT_FILES: [file: string, subsystem: string][] = [
  ['abdstats', 'abd'],
  ['arcstats', 'arc'],
  ['dbufstats', 'dbuf'],
  ['dmu_tx', 'dmu_tx'],
  ['dnodestats', 'dnode'],
  ['fm', 'fm'],
  ['vdev_cache_stats', 'vdev_cache'],
  ['vdev_mirror_stats', 'vdev_mirror'],
  ['xuio_stats', 'xuio'],
  ['zfetchstats', 'zfetch'],
  ['zil', 'zil'],
];
const POOL_STATES = ['degraded', 'faulted', 'offline', 'online', 'removed', 'unavail'] as const;

/** A named kstat file: a header line, a `name type data` line, then one row per statistic. */
export function parseKstat(text: string, what: string): [string, number][] {
  const all = lines(text);
  if (all.length < 2 || !all[1].startsWith('name')) throw new Error(`${what}: not a kstat file`);
  return all.slice(2).map((line) => {
    const f = fields(line);
    const value = Number(f[2]);
    if (f.length < 3 || Number.isNaN(value))
      throw new Error(`${what}: bad row ${JSON.stringify(line.slice(0, 60))}`);
    return [f[0], value];
  });
}

/** A pool's `io` kstat: a header, a row of column names, a row of values. */
export function parsePoolIo(text: string, what: string): [string, number][] {
  const all = lines(text);
  if (all.length < 3) throw new Error(`${what}: expected a header and two rows`);
  const names = fields(all[1]);
  const values = fields(all[2]).map(Number);
  if (names.length !== values.length || values.some(Number.isNaN))
    throw new Error(`${what}: malformed io kstat`);
  return names.map((n, i) => [n, values[i]]);
}

export interface ZfsReading {
  kstats: { file: string; subsystem: string; values: [string, number][] }[];
  pools: { pool: string; io?: [string, number][]; state?: string }[];
}

export function readZfs(files: KernelFiles, dir: string): ZfsReading | undefined {
  if (!files.exists(dir)) return undefined;
  const kstats: ZfsReading['kstats'] = [];
  for (const [file, subsystem] of KSTAT_FILES) {
    const text = files.optional(`${dir}/${file}`);
    if (text !== undefined) kstats.push({ file, subsystem, values: parseKstat(text, `${dir}/${file}`) });
  }
  const pools: ZfsReading['pools'] = [];
  for (const entry of files.list(dir).sort()) {
    if (KSTAT_FILES.some(([f]) => f === entry) || !files.exists(`${dir}/${entry}`)) continue;
    const io = files.optional(`${dir}/${entry}/io`);
    const state = files.optional(`${dir}/${entry}/state`);
    if (io === undefined && state === undefined) continue;
    pools.push({
      pool: entry,
      io: io === undefined ? undefined : parsePoolIo(io, `${dir}/${entry}/io`),
      state: state?.trim(),
    });
  }
  return { kstats, pools };
}

const poolIoFamily = (name: string): MetricFamily => ({
  name: `node_zfs_zpool_${name}`,
  help: `kstat.zfs.misc.io.${name}`,
  type: 'untyped',
  samples: [],
});

export function zfsFamilies(z: ZfsReading): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const k of z.kstats) {
    for (const [name, value] of k.values) {
      out.push({
        name: `node_zfs_${k.subsystem}_${name}`,
        help: `kstat.zfs.misc.${k.file}.${name}`,
        type: 'untyped',
        samples: [{ value }],
      });
    }
  }
  const io = new Map<string, MetricFamily>();
  const state: Sample[] = [];
  for (const p of z.pools) {
    for (const [name, value] of p.io ?? [])
      familyFor(io, name, poolIoFamily).samples.push({ labels: { zpool: p.pool }, value });
    if (p.state !== undefined) {
      const s = p.state.toLowerCase();
      for (const known of POOL_STATES)
        state.push({ labels: { state: known, zpool: p.pool }, value: s === known ? 1 : 0 });
    }
  }
  out.push(...io.values(), gauge('node_zfs_zpool_state', 'kstat.zfs.misc.state', state));
  return out;
}

export const zfsCollector: NodeCollectorSpec = {
  name: 'zfs',
  defaultEnabled: true,
  help: 'ZFS ARC, prefetch, ZIL and per-pool I/O and state from /proc/spl/kstat/zfs',
  create: ({ paths }) => {
    const files = new KernelFiles();
    const dir = procPath(paths, 'spl/kstat/zfs');
    let absent = false;
    return {
      name: 'zfs',
      collect: () =>
        files.round(() => {
          const z = readZfs(files, dir);
          absent = z === undefined;
          return z ? zfsFamilies(z) : [];
        }),
      absentReason: () => (absent ? 'zfs: no /proc/spl/kstat/zfs (ZFS module not loaded)' : undefined),
      stop: () => files.close(),
    };
  },
};
