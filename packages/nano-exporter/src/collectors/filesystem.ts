import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { mayHang, statfsNow } from '../filesystem/local-statfs.js';
import { type MountEntry, parseMounts, selectMounts } from '../filesystem/mounts.js';
import { type StatfsResult, StatfsRunner } from '../filesystem/statfs-runner.js';
import { compileFlagRegex } from '../flag-regex.js';
import { procPath, rootPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

export interface FilesystemReading {
  mount: MountEntry;
  result: StatfsResult;
}

export function filesystemFamilies(readings: FilesystemReading[]): MetricFamily[] {
  const size: Sample[] = [];
  const free: Sample[] = [];
  const avail: Sample[] = [];
  const files: Sample[] = [];
  const filesFree: Sample[] = [];
  const readonly: Sample[] = [];
  const deviceError: Sample[] = [];
  for (const { mount, result } of readings) {
    const labels = { device: mount.device, fstype: mount.fsType, mountpoint: mount.mountPoint };
    readonly.push({ labels, value: mount.options.includes('ro') ? 1 : 0 });
    deviceError.push({ labels, value: result.ok ? 0 : 1 });
    if (!result.ok) continue;
    const s = result.stats;
    size.push({ labels, value: s.blocks * s.bsize });
    free.push({ labels, value: s.bfree * s.bsize });
    avail.push({ labels, value: s.bavail * s.bsize });
    files.push({ labels, value: s.files });
    filesFree.push({ labels, value: s.ffree });
  }
  return [
    gauge('node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.', avail),
    gauge(
      'node_filesystem_device_error',
      'Whether an error occurred while getting statistics for the given device.',
      deviceError,
    ),
    gauge('node_filesystem_files', 'Filesystem total file nodes.', files),
    gauge('node_filesystem_files_free', 'Filesystem total free file nodes.', filesFree),
    gauge('node_filesystem_free_bytes', 'Filesystem free space in bytes.', free),
    gauge('node_filesystem_readonly', 'Filesystem read-only status.', readonly),
    gauge('node_filesystem_size_bytes', 'Filesystem size in bytes.', size),
  ];
}

/**
 * /proc/1/mounts sees the host's mounts even when we run in a container; fall back to our own
 * table when it is absent or not readable (hardened kernels hide other processes).
 */
function readMounts(files: KernelFiles, procfs: (rel: string) => string): string {
  let text: string | undefined;
  try {
    text = files.optional(procfs('1/mounts'));
  } catch {}
  text ??= files.optional(procfs('self/mounts'));
  if (text === undefined)
    throw new Error(`no mount table: neither ${procfs('1/mounts')} nor ${procfs('self/mounts')} exists`);
  return text;
}

export const filesystemCollector: NodeCollectorSpec = {
  name: 'filesystem',
  defaultEnabled: true,
  help: 'size and free space per mount (network and FUSE mounts: statfs in a worker with a deadline; a hung mount sets device_error)',
  create: ({ paths, flags, log, statfsWorkerSource }) => {
    const mountPointsExclude = compileFlagRegex(
      'collector.filesystem.mount-points-exclude',
      flags.string('collector.filesystem.mount-points-exclude'),
    );
    const fsTypesExclude = compileFlagRegex(
      'collector.filesystem.fs-types-exclude',
      flags.string('collector.filesystem.fs-types-exclude'),
    );
    const files = new KernelFiles();
    let lastTable: string | undefined;
    let lastMounts: MountEntry[] = [];
    const runner = new StatfsRunner(flags.duration('collector.filesystem.mount-timeout'), statfsWorkerSource);
    const logged = (reading: FilesystemReading): FilesystemReading => {
      if (!reading.result.ok)
        log.debug('statfs failed', { mountpoint: reading.mount.mountPoint, err: reading.result.error });
      return reading;
    };
    return {
      name: 'filesystem',
      collect: () => {
        // The mount table seldom changes: parsed and filtered again only when its text did.
        const table = readMounts(files, (rel) => procPath(paths, rel));
        if (table !== lastTable) {
          lastMounts = selectMounts(parseMounts(table), {
            rootfs: paths.rootfs === '/' ? '' : paths.rootfs,
            mountPointsExclude,
            fsTypesExclude,
          });
          lastTable = table;
        }
        const mounts = lastMounts;
        // Local filesystems answer at once; only mounts that can hang pay for the worker (started
        // on first need), and only then is the answer a promise.
        const readings: (FilesystemReading | Promise<FilesystemReading>)[] = [];
        let waiting = false;
        for (const mount of mounts) {
          const path = rootPath(paths, mount.mountPoint);
          if (mayHang(mount.fsType)) {
            readings.push(runner.statfs(path).then((result) => logged({ mount, result })));
            waiting = true;
          } else readings.push(logged({ mount, result: statfsNow(path) }));
        }
        return waiting
          ? Promise.all(readings).then(filesystemFamilies)
          : filesystemFamilies(readings as FilesystemReading[]);
      },
      absentReason: () => {
        const stuck = runner.stuckPaths();
        return stuck.length
          ? `filesystem: unresponsive mounts (device_error 1): ${stuck.join(', ')}`
          : undefined;
      },
      stop: async () => {
        files.close();
        await runner.stop();
      },
    };
  },
};
