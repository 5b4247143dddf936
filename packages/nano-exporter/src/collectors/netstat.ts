import type { MetricFamily } from '@motley/exporter-kit';
import { FamilyNames } from '../family-names.js';
import { compileFlagRegex, FieldFilter } from '../flag-regex.js';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

export const DEFAULT_NETSTAT_FIELDS =
  '^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$';

/** For one protocol's header line: the columns to keep and their `Proto_Name` keys. */
type Picks = [column: number, key: string][];

/**
 * /proc/net/netstat and /proc/net/snmp: for each protocol a line of names then a line of values,
 * both starting with `Proto:`. Returns the kept `Proto_Name` -> value. The header lines never
 * change while the kernel runs, so which columns to keep is worked out once per header (in
 * `layouts`) and a protocol with nothing wanted is not even split.
 */
export function parseNetstat(
  text: string,
  what: string,
  keep: (key: string) => boolean = () => true,
  layouts: Map<string, Picks> = new Map(),
): Map<string, number> {
  const out = new Map<string, number>();
  const all = lines(text);
  for (let i = 0; i + 1 < all.length; i += 2) {
    const header = all[i];
    let picks = layouts.get(header);
    if (!picks) {
      const names = fields(header);
      if (!names[0]?.endsWith(':')) throw new Error(`${what}: line ${i + 1} is not a protocol header`);
      const proto = names[0].slice(0, -1);
      picks = [];
      for (let j = 1; j < names.length; j++)
        if (keep(`${proto}_${names[j]}`)) picks.push([j, `${proto}_${names[j]}`]);
      layouts.set(header, picks);
    }
    const valuesLine = all[i + 1];
    if (!valuesLine.startsWith(header.slice(0, header.indexOf(':') + 1)))
      throw new Error(`${what}: line ${i + 1} and ${i + 2} do not pair up`);
    if (picks.length === 0) continue;
    const values = fields(valuesLine);
    for (let p = 0; p < picks.length; p++) {
      const column = picks[p][0];
      const key = picks[p][1];
      const v = Number(values[column]);
      if (values[column] === undefined || Number.isNaN(v)) throw new Error(`${what}: no value for ${key}`);
      out.set(key, v);
    }
  }
  return out;
}

/**
 * /proc/net/snmp6: `Ip6InReceives   11` lines; the protocol is everything up to the first "6".
 * Which names are wanted (and their keys) is remembered, and unwanted lines are skipped
 * without being split.
 */
export class Snmp6Reader {
  private readonly keys = new Map<string, string | null>();
  constructor(private readonly keep: (key: string) => boolean) {}

  read(text: string, out: Map<string, number>): void {
    let pos = 0;
    while (pos < text.length) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      const gap = text.indexOf(' ', pos);
      if (gap > pos && gap < end) {
        const name = text.slice(pos, gap);
        let key = this.keys.get(name);
        if (key === undefined) {
          const six = name.indexOf('6');
          const candidate = six < 0 ? '' : `${name.slice(0, six + 1)}_${name.slice(six + 1)}`;
          key = six >= 0 && this.keep(candidate) ? candidate : null;
          this.keys.set(name, key);
        }
        if (key !== null) out.set(key, Number(text.slice(gap + 1, end)));
      }
      pos = end + 1;
    }
  }
}

const netstatNames = (key: string) => ({
  name: `node_netstat_${key}`,
  help: `Statistic ${key.replace('_', '')}.`,
});

export function netstatFamilies(
  stats: Map<string, number>,
  wanted: FieldFilter,
  names = new FamilyNames(netstatNames),
): MetricFamily[] {
  const out: MetricFamily[] = [];
  // forEach, not for-of: no iterator result and entry array per field (without an optimizing
  // compiler, for-of makes both).
  stats.forEach((value, key) => {
    if (!wanted.test(key)) return;
    const n = names.get(key);
    out.push({ name: n.name, help: n.help, type: 'untyped', samples: [{ value }] });
  });
  return out;
}

export const netstatCollector: NodeCollectorSpec = {
  name: 'netstat',
  defaultEnabled: true,
  help: 'IP, TCP, UDP and ICMP counters from /proc/net/netstat, snmp and snmp6 (--collector.netstat.fields)',
  create: ({ paths, flags }) => {
    const wanted = new FieldFilter(
      compileFlagRegex('collector.netstat.fields', flags.string('collector.netstat.fields')),
    );
    const keep = (key: string) => wanted.test(key);
    const layouts = new Map<string, Picks>();
    const snmp6Reader = new Snmp6Reader(keep);
    const names = new FamilyNames(netstatNames);
    const files = new KernelFiles();
    return {
      name: 'netstat',
      collect: () =>
        files.round(() => {
          const netstat = procPath(paths, 'net/netstat');
          const snmp = procPath(paths, 'net/snmp');
          const stats = parseNetstat(files.text(netstat), netstat, keep, layouts);
          parseNetstat(files.text(snmp), snmp, keep, layouts).forEach((v, k) => {
            stats.set(k, v);
          });
          const snmp6 = files.optional(procPath(paths, 'net/snmp6'));
          if (snmp6 !== undefined) snmp6Reader.read(snmp6, stats);
          return netstatFamilies(stats, wanted, names);
        }),
      stop: () => files.close(),
    };
  },
};
