import { existsSync, readFileSync } from 'node:fs';
import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { deviceFilter } from '../flag-regex.js';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields, lines } from '../text-fields.js';

export const DEFAULT_DISK_EXCLUDE = '^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$';
const SECTOR_BYTES = 512;

/**
 * /proc/diskstats columns after major, minor, name (index into the stats array), with the
 * node_exporter metric, HELP, type and scale. Older kernels have 11 columns, 4.18+ 15, 5.5+ 17.
 */
const COLUMNS: [name: string, help: string, type: 'counter' | 'gauge', scale: number][] = [
  ['reads_completed_total', 'The total number of reads completed successfully.', 'counter', 1],
  ['reads_merged_total', 'The total number of reads merged.', 'counter', 1],
  ['read_bytes_total', 'The total number of bytes read successfully.', 'counter', SECTOR_BYTES],
  ['read_time_seconds_total', 'The total number of seconds spent by all reads.', 'counter', 0.001],
  ['writes_completed_total', 'The total number of writes completed successfully.', 'counter', 1],
  ['writes_merged_total', 'The number of writes merged.', 'counter', 1],
  ['written_bytes_total', 'The total number of bytes written successfully.', 'counter', SECTOR_BYTES],
  ['write_time_seconds_total', 'This is the total number of seconds spent by all writes.', 'counter', 0.001],
  ['io_now', 'The number of I/Os currently in progress.', 'gauge', 1],
  ['io_time_seconds_total', 'Total seconds spent doing I/Os.', 'counter', 0.001],
  ['io_time_weighted_seconds_total', 'The weighted # of seconds spent doing I/Os.', 'counter', 0.001],
  ['discards_completed_total', 'The total number of discards completed successfully.', 'counter', 1],
  ['discards_merged_total', 'The total number of discards merged.', 'counter', 1],
  ['discarded_sectors_total', 'The total number of sectors discarded successfully.', 'counter', 1],
  [
    'discard_time_seconds_total',
    'This is the total number of seconds spent by all discards.',
    'counter',
    0.001,
  ],
  ['flush_requests_total', 'The total number of flush requests completed successfully', 'counter', 1],
  [
    'flush_requests_time_seconds_total',
    'This is the total number of seconds spent by all flush requests.',
    'counter',
    0.001,
  ],
];

/** `node_disk_<column>`, made once. */
const COLUMN_NAMES = COLUMNS.map((c) => `node_disk_${c[0]}`);

export interface DiskStats {
  major: string;
  minor: string;
  device: string;
  stats: number[];
}

export function parseDiskstats(text: string): DiskStats[] {
  return lines(text).map((line) => {
    const f = fields(line);
    if (f.length < 14) throw new Error(`/proc/diskstats: expected at least 14 columns, got ${f.length}`);
    const stats = f.slice(3).map(Number);
    if (stats.some(Number.isNaN)) throw new Error(`/proc/diskstats: bad number for ${f[2]}`);
    return { major: f[0], minor: f[1], device: f[2], stats };
  });
}

/** udev's properties for a block device (/run/udev/data/b<major>:<minor>), for node_disk_info. */
export function parseUdevData(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  for (const line of lines(text)) {
    if (!line.startsWith('E:')) continue;
    const eq = line.indexOf('=');
    if (eq > 2) out.set(line.slice(2, eq), line.slice(eq + 1));
  }
  return out;
}

export function diskstatsFamilies(
  disks: DiskStats[],
  udev: (d: DiskStats) => Map<string, string>,
): MetricFamily[] {
  const perColumn = COLUMNS.map(() => [] as Sample[]);
  const info: Sample[] = [];
  for (let k = 0; k < disks.length; k++) {
    const d = disks[k];
    const labels = { device: d.device };
    for (let i = 0; i < COLUMNS.length && i < d.stats.length; i++) {
      perColumn[i].push({ labels, value: d.stats[i] * COLUMNS[i][3] });
    }
    const props = udev(d);
    info.push({
      labels: {
        device: d.device,
        major: d.major,
        minor: d.minor,
        model: props.get('ID_MODEL') ?? '',
        path: props.get('ID_PATH') ?? '',
        revision: props.get('ID_REVISION') ?? '',
        serial: props.get('ID_SERIAL_SHORT') ?? '',
        wwn: props.get('ID_WWN') ?? '',
      },
      value: 1,
    });
  }
  const out: MetricFamily[] = [];
  for (let i = 0; i < COLUMNS.length; i++) {
    out.push({ name: COLUMN_NAMES[i], help: COLUMNS[i][1], type: COLUMNS[i][2], samples: perColumn[i] });
  }
  out.push(gauge('node_disk_info', 'Info of /sys/block/<block_device>.', info));
  return out;
}

export const diskstatsCollector: NodeCollectorSpec = {
  name: 'diskstats',
  defaultEnabled: true,
  help: 'block device I/O from /proc/diskstats (--collector.diskstats.device-exclude)',
  create: ({ paths, flags }) => {
    const files = new KernelFiles();
    const wanted = deviceFilter(flags, 'collector.diskstats');
    const udevDir = flags.string('path.udev.data');
    return {
      name: 'diskstats',
      collect: () =>
        files.round(() => {
          const disks = parseDiskstats(files.text(procPath(paths, 'diskstats'))).filter((d) =>
            wanted(d.device),
          );
          return diskstatsFamilies(disks, (d) =>
            parseUdevData(readUdevFile(`${udevDir}/b${d.major}:${d.minor}`)),
          );
        }),
      stop: () => files.close(),
    };
  },
};

/** udev's files are regular files replaced by rename: read them whole each time, never kept open. */
function readUdevFile(path: string): string | undefined {
  // Most containers and minimal hosts have no udev database: no ENOENT error per disk per scrape.
  if (!existsSync(path)) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
