import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines, parseNumber } from '../text-fields.js';

/** Columns of /proc/net/stat/nf_conntrack that node_exporter reports, with their HELP. */
const STAT_COLUMNS: [column: string, help: string][] = [
  ['found', 'Number of searched entries which were successful.'],
  ['invalid', 'Number of packets seen which can not be tracked.'],
  ['ignore', 'Number of packets seen which are already connected to a conntrack entry.'],
  ['insert', 'Number of entries inserted into the list.'],
  ['insert_failed', 'Number of entries for which list insertion was attempted but failed.'],
  ['drop', 'Number of packets dropped due to conntrack failure.'],
  [
    'early_drop',
    'Number of dropped conntrack entries to make room for new ones, if maximum table size was reached.',
  ],
  ['search_restart', 'Number of conntrack table lookups which had to be restarted due to hashtable resizes.'],
];

/** /proc/net/stat/nf_conntrack: a header, then one line of hex counters per CPU, summed here. */
export function parseConntrackStat(text: string): Map<string, number> {
  const all = lines(text);
  if (all.length < 2) throw new Error('/proc/net/stat/nf_conntrack: no per-CPU lines');
  const header = fields(all[0]);
  const sums = new Map<string, number>(header.map((h) => [h, 0]));
  for (const line of all.slice(1)) {
    const f = fields(line);
    if (f.length !== header.length)
      throw new Error(`/proc/net/stat/nf_conntrack: ${f.length} columns, header has ${header.length}`);
    for (let i = 0; i < f.length; i++) {
      const v = Number.parseInt(f[i], 16);
      if (Number.isNaN(v)) throw new Error(`/proc/net/stat/nf_conntrack: bad hex ${JSON.stringify(f[i])}`);
      sums.set(header[i], (sums.get(header[i]) ?? 0) + v);
    }
  }
  return sums;
}

export function conntrackFamilies(
  entries: number,
  limit: number,
  stat: Map<string, number> | undefined,
): MetricFamily[] {
  const out = [
    gauge(
      'node_nf_conntrack_entries',
      'Number of currently allocated flow entries for connection tracking.',
      [{ value: entries }],
    ),
    gauge('node_nf_conntrack_entries_limit', 'Maximum size of connection tracking table.', [
      { value: limit },
    ]),
  ];
  if (stat) {
    for (const [column, help] of STAT_COLUMNS) {
      const v = stat.get(column);
      if (v !== undefined) out.push(gauge(`node_nf_conntrack_stat_${column}`, help, [{ value: v }]));
    }
  }
  return out;
}

export const conntrackCollector: NodeCollectorSpec = {
  name: 'conntrack',
  defaultEnabled: true,
  help: 'netfilter connection tracking table size and statistics',
  create: ({ paths }) => {
    const files = new KernelFiles();
    let absent = false;
    return {
      name: 'conntrack',
      collect: () =>
        files.round(() => {
          const count = files.optional(procPath(paths, 'sys/net/netfilter/nf_conntrack_count'));
          const max = files.optional(procPath(paths, 'sys/net/netfilter/nf_conntrack_max'));
          absent = count === undefined || max === undefined;
          if (count === undefined || max === undefined) return [];
          const stat = files.optional(procPath(paths, 'net/stat/nf_conntrack'));
          return conntrackFamilies(
            parseNumber(count.trim(), 'nf_conntrack_count'),
            parseNumber(max.trim(), 'nf_conntrack_max'),
            stat === undefined ? undefined : parseConntrackStat(stat),
          );
        }),
      absentReason: () => (absent ? 'conntrack: no nf_conntrack (module not loaded)' : undefined),
      stop: () => files.close(),
    };
  },
};
