import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, parseNumber } from '../text-fields.js';

/** /proc/sys/fs/file-nr: allocated, allocated-but-unused (always 0 since 2.6), maximum. */
export function parseFileNr(text: string): { allocated: number; maximum: number } {
  const f = fields(text.trim());
  if (f.length !== 3) throw new Error(`/proc/sys/fs/file-nr: expected 3 fields, got ${f.length}`);
  return { allocated: parseNumber(f[0], 'file-nr allocated'), maximum: parseNumber(f[2], 'file-nr maximum') };
}

export function filefdFamilies(v: { allocated: number; maximum: number }): MetricFamily[] {
  return [
    gauge('node_filefd_allocated', 'File descriptor statistics: allocated.', [{ value: v.allocated }]),
    gauge('node_filefd_maximum', 'File descriptor statistics: maximum.', [{ value: v.maximum }]),
  ];
}

export const filefdCollector: NodeCollectorSpec = {
  name: 'filefd',
  defaultEnabled: true,
  help: 'allocated and maximum file handles from /proc/sys/fs/file-nr',
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'filefd',
      collect: () =>
        files.round(() => filefdFamilies(parseFileNr(files.text(procPath(paths, 'sys/fs/file-nr'))))),
      stop: () => files.close(),
    };
  },
};
