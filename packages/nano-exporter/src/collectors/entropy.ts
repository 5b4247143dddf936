import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
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
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'entropy',
      collect: () =>
        files.round(() =>
          entropyFamilies(
            parseNumber(
              files.text(procPath(paths, 'sys/kernel/random/entropy_avail')).trim(),
              'entropy_avail',
            ),
            parseNumber(files.text(procPath(paths, 'sys/kernel/random/poolsize')).trim(), 'poolsize'),
          ),
        ),
      stop: () => files.close(),
    };
  },
};
