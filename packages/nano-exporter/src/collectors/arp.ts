import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

/** /proc/net/arp: a header, then one neighbour per line; the interface is the last column. */
export function parseArpEntries(text: string): Map<string, number> {
  const perDevice = new Map<string, number>();
  const all = lines(text);
  if (!all[0]?.startsWith('IP address')) throw new Error('/proc/net/arp: missing header');
  for (const line of all.slice(1)) {
    const f = fields(line);
    if (f.length < 6) throw new Error(`/proc/net/arp: malformed line ${JSON.stringify(line.slice(0, 60))}`);
    perDevice.set(f[5], (perDevice.get(f[5]) ?? 0) + 1);
  }
  return perDevice;
}

export function arpFamilies(perDevice: Map<string, number>): MetricFamily[] {
  return [
    gauge(
      'node_arp_entries',
      'ARP entries by device',
      [...perDevice].map(([device, value]) => ({ labels: { device }, value })),
    ),
  ];
}

export const arpCollector: NodeCollectorSpec = {
  name: 'arp',
  defaultEnabled: true,
  help: 'neighbour table entries per interface from /proc/net/arp',
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'arp',
      collect: () => files.round(() => arpFamilies(parseArpEntries(files.text(procPath(paths, 'net/arp'))))),
      stop: () => files.close(),
    };
  },
};
