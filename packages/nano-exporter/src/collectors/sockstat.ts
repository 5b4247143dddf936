import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { FamilyNames } from '../family-names.js';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

const PAGE_SIZE = 4096;

/** `PROTO: key value key value` lines of /proc/net/sockstat{,6} as [metric suffix, value]. */
export function parseSockstat(text: string, what: string): [string, number][] {
  const out: [string, number][] = [];
  for (const line of lines(text)) {
    const f = fields(line);
    const proto = f[0]?.replace(/:$/, '');
    if (!proto || f.length % 2 !== 1)
      throw new Error(`${what}: unexpected line ${JSON.stringify(line.slice(0, 60))}`);
    for (let i = 1; i < f.length; i += 2) {
      const value = Number(f[i + 1]);
      if (Number.isNaN(value)) throw new Error(`${what}: bad value for ${proto} ${f[i]}`);
      if (proto === 'sockets') {
        out.push([`sockets_${f[i]}`, value]);
        continue;
      }
      out.push([`${proto}_${f[i]}`, value]);
      // TCP and UDP `mem` counts pages; node_exporter adds the value in bytes.
      if (f[i] === 'mem') out.push([`${proto}_mem_bytes`, value * PAGE_SIZE]);
    }
  }
  return out;
}

function helpFor(suffix: string): string {
  if (suffix === 'sockets_used') return 'Number of IPv4 sockets in use.';
  const underscore = suffix.indexOf('_');
  return `Number of ${suffix.slice(0, underscore)} sockets in state ${suffix.slice(underscore + 1)}.`;
}

const sockstatNames = (suffix: string) => ({ name: `node_sockstat_${suffix}`, help: helpFor(suffix) });

export function sockstatFamilies(
  values: [string, number][],
  names = new FamilyNames(sockstatNames),
): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (let i = 0; i < values.length; i++) {
    const n = names.get(values[i][0]);
    out.push(gauge(n.name, n.help, [{ value: values[i][1] }]));
  }
  return out;
}

export const sockstatCollector: NodeCollectorSpec = {
  name: 'sockstat',
  defaultEnabled: true,
  help: 'socket counts and memory from /proc/net/sockstat and sockstat6',
  create: ({ paths }) => {
    const files = new KernelFiles();
    const names = new FamilyNames(sockstatNames);
    return {
      name: 'sockstat',
      collect: () =>
        files.round(() => {
          const v4 = procPath(paths, 'net/sockstat');
          const v6 = procPath(paths, 'net/sockstat6');
          const values = parseSockstat(files.text(v4), v4);
          const text6 = files.optional(v6);
          if (text6 !== undefined) values.push(...parseSockstat(text6, v6));
          return sockstatFamilies(values, names);
        }),
      stop: () => files.close(),
    };
  },
};
