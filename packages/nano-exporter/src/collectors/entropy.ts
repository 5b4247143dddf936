import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { readText } from '../read-files.js';
import { parseNumber } from '../text-fields.js';

export function entropyFamilies(available: number, poolSize: number): MetricFamily[] {
  return [
    gauge('node_entropy_available_bits', 'Bits of available entropy.', [{ value: available }]),
    gauge('node_entropy_pool_size_bits', 'Bits of entropy pool.', [{ value: poolSize }]),
  ];
}

export const entropyCollector: NodeCollectorSpec = {
  name: 'entropy',
  defaultEnabled: true,
  help: 'available entropy and pool size from /proc/sys/kernel/random',
  create: ({ paths }) => ({
    name: 'entropy',
    collect: () =>
      entropyFamilies(
        parseNumber(readText(procPath(paths, 'sys/kernel/random/entropy_avail')).trim(), 'entropy_avail'),
        parseNumber(readText(procPath(paths, 'sys/kernel/random/poolsize')).trim(), 'poolsize'),
      ),
  }),
};
