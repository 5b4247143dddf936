import { counter, type MetricFamily } from '@motley/exporter-kit';
import { FamilyNames, familyFor } from '../family-names.js';
import { deviceFilter } from '../flag-regex.js';
import { procPath, sysPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

export interface NetDevStats {
  device: string;
  /** `receive_bytes`, `transmit_colls`, ... -> value */
  stats: Map<string, number>;
}

/** /proc/net/dev: the column names come from the header, so newer kernels' columns appear too. */
export function parseNetDev(text: string): NetDevStats[] {
  const all = lines(text);
  if (all.length < 2 || !all[1].includes('|')) throw new Error('/proc/net/dev: missing header');
  const [, rx, tx] = all[1].split('|');
  const names = [...fields(rx).map((f) => `receive_${f}`), ...fields(tx).map((f) => `transmit_${f}`)];
  const out: NetDevStats[] = [];
  for (const line of all.slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) throw new Error(`/proc/net/dev: unexpected line ${JSON.stringify(line.slice(0, 60))}`);
    const values = fields(line.slice(colon + 1));
    if (values.length !== names.length)
      throw new Error(`/proc/net/dev: ${values.length} columns, header has ${names.length}`);
    const stats = new Map<string, number>();
    for (let i = 0; i < names.length; i++) stats.set(names[i], Number(values[i]));
    out.push({ device: line.slice(0, colon).trim(), stats });
  }
  return out;
}

const netdevNames = (stat: string) => ({
  name: `node_network_${stat}_total`,
  help: `Network device statistic ${stat}.`,
});

export function netdevFamilies(devices: NetDevStats[], names = new FamilyNames(netdevNames)): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  const out: MetricFamily[] = [];
  const make = (stat: string) => {
    const n = names.get(stat);
    const family = counter(n.name, n.help, []);
    out.push(family);
    return family;
  };
  // Indexed loops and forEach, not for-of: without an optimizing compiler, for-of makes
  // iterator objects per value.
  for (let i = 0; i < devices.length; i++) {
    const labels = { device: devices[i].device };
    devices[i].stats.forEach((value, stat) => {
      familyFor(byName, stat, make).samples.push({ labels, value });
    });
  }
  return out;
}

export const netdevCollector: NodeCollectorSpec = {
  name: 'netdev',
  defaultEnabled: true,
  help: 'network interface counters from /proc/net/dev (--collector.netdev.device-exclude)',
  create: ({ paths, flags }) => {
    const files = new KernelFiles();
    const names = new FamilyNames(netdevNames);
    const wanted = deviceFilter(flags, 'collector.netdev');
    return {
      name: 'netdev',
      collect: () =>
        files.round(() => {
          const devices = parseNetDev(files.text(procPath(paths, 'net/dev'))).filter((d) => wanted(d.device));
          // Packets dropped for want of a protocol handler: not in /proc/net/dev, but in sysfs.
          for (const d of devices) {
            const nohandler = files.number(sysPath(paths, `class/net/${d.device}/statistics/rx_nohandler`));
            if (nohandler !== undefined && !d.stats.has('receive_nohandler'))
              d.stats.set('receive_nohandler', nohandler);
          }
          return netdevFamilies(devices, names);
        }),
      stop: () => files.close(),
    };
  },
};
