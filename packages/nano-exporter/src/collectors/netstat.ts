import type { MetricFamily } from '@motley/exporter-kit';
import { compileFlagRegex, FieldFilter } from '../flag-regex.js';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

export const DEFAULT_NETSTAT_FIELDS =
  '^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$';

/**
 * /proc/net/netstat and /proc/net/snmp: for each protocol a line of names then a line of values,
 * both starting with `Proto:`. Returns `Proto_Name` -> value.
 */
export function parseNetstat(
  text: string,
  what: string,
  keep: (key: string) => boolean = () => true,
): Map<string, number> {
  const out = new Map<string, number>();
  const all = lines(text);
  for (let i = 0; i + 1 < all.length; i += 2) {
    const names = fields(all[i]);
    const values = fields(all[i + 1]);
    if (names[0] !== values[0] || !names[0].endsWith(':') || names.length !== values.length) {
      throw new Error(`${what}: line ${i + 1} and ${i + 2} do not pair up`);
    }
    const proto = names[0].slice(0, -1);
    for (let j = 1; j < names.length; j++) {
      const key = `${proto}_${names[j]}`;
      if (keep(key)) out.set(key, Number(values[j]));
    }
  }
  return out;
}

/** /proc/net/snmp6: `Ip6InReceives 11` lines; the protocol is everything up to the first "6". */
export function parseSnmp6(text: string, keep: (key: string) => boolean = () => true): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines(text)) {
    const [name, value] = fields(line);
    const six = name.indexOf('6');
    if (six < 0 || value === undefined) continue;
    const key = `${name.slice(0, six + 1)}_${name.slice(six + 1)}`;
    if (keep(key)) out.set(key, Number(value));
  }
  return out;
}

export function netstatFamilies(stats: Map<string, number>, wanted: FieldFilter): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const [key, value] of stats) {
    if (!wanted.test(key)) continue;
    out.push({
      name: `node_netstat_${key}`,
      help: `Statistic ${key.replace('_', '')}.`,
      type: 'untyped',
      samples: [{ value }],
    });
  }
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
    const files = new KernelFiles();
    return {
      name: 'netstat',
      collect: () =>
        files.round(() => {
          const netstat = procPath(paths, 'net/netstat');
          const snmp = procPath(paths, 'net/snmp');
          const stats = parseNetstat(files.text(netstat), netstat, keep);
          for (const [k, v] of parseNetstat(files.text(snmp), snmp, keep)) stats.set(k, v);
          const snmp6 = files.optional(procPath(paths, 'net/snmp6'));
          if (snmp6 !== undefined) for (const [k, v] of parseSnmp6(snmp6, keep)) stats.set(k, v);
          return netstatFamilies(stats, wanted);
        }),
      stop: () => files.close(),
    };
  },
};
