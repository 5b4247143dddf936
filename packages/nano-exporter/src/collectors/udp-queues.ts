import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

/** Sums the `tx_queue:rx_queue` column (hex bytes) of /proc/net/udp or udp6 over all sockets. */
export function parseUdpQueues(text: string, what: string): { tx: number; rx: number } {
  let tx = 0;
  let rx = 0;
  const all = lines(text);
  for (let i = 1; i < all.length; i++) {
    const queues = fields(all[i])[4];
    const colon = queues?.indexOf(':') ?? -1;
    if (colon < 0) throw new Error(`${what}: line ${i + 1} has no tx_queue:rx_queue column`);
    const t = Number.parseInt(queues.slice(0, colon), 16);
    const r = Number.parseInt(queues.slice(colon + 1), 16);
    if (Number.isNaN(t) || Number.isNaN(r))
      throw new Error(`${what}: bad queue sizes ${JSON.stringify(queues)}`);
    tx += t;
    rx += r;
  }
  return { tx, rx };
}

export function udpQueuesFamilies(
  v4: { tx: number; rx: number },
  v6: { tx: number; rx: number } | undefined,
): MetricFamily[] {
  const samples = [
    { labels: { ip: 'v4', queue: 'rx' }, value: v4.rx },
    { labels: { ip: 'v4', queue: 'tx' }, value: v4.tx },
  ];
  if (v6)
    samples.push(
      { labels: { ip: 'v6', queue: 'rx' }, value: v6.rx },
      { labels: { ip: 'v6', queue: 'tx' }, value: v6.tx },
    );
  return [
    gauge('node_udp_queues', 'Number of allocated memory in the kernel for UDP datagrams in bytes.', samples),
  ];
}

export const udpQueuesCollector: NodeCollectorSpec = {
  name: 'udp_queues',
  defaultEnabled: true,
  help: 'bytes queued on UDP sockets from /proc/net/udp and udp6',
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'udp_queues',
      collect: () =>
        files.round(() => {
          const v4 = procPath(paths, 'net/udp');
          const v6 = procPath(paths, 'net/udp6');
          const text6 = files.optional(v6);
          return udpQueuesFamilies(
            parseUdpQueues(files.text(v4), v4),
            text6 === undefined ? undefined : parseUdpQueues(text6, v6),
          );
        }),
      stop: () => files.close(),
    };
  },
};
