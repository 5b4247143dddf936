import { fields, lines } from '../text-fields.js';

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

/** /proc/<pid>/mounts escapes space, tab, newline and backslash as octal (`\040`). */
export function unescapeMountField(s: string): string {
  return s.includes('\\')
    ? s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)))
    : s;
}

export function parseMounts(text: string): MountEntry[] {
  return lines(text).map((line) => {
    const f = fields(line);
    if (f.length < 4) throw new Error(`mounts: malformed line ${JSON.stringify(line.slice(0, 80))}`);
    return {
      device: unescapeMountField(f[0]),
      mountPoint: unescapeMountField(f[1]),
      fsType: f[2],
      options: f[3].split(','),
    };
  });
}

export const DEFAULT_MOUNT_POINTS_EXCLUDE =
  '^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)';
export const DEFAULT_FS_TYPES_EXCLUDE =
  '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$';

/**
 * The mounts to report, as the host sees them (a --path.rootfs prefix removed, as node_exporter
 * does), not excluded, and each (device, mount point, type) once.
 */
export function selectMounts(
  mounts: MountEntry[],
  opts: { rootfs: string; mountPointsExclude?: RegExp; fsTypesExclude?: RegExp },
): MountEntry[] {
  const root = opts.rootfs.replace(/\/+$/, '');
  const seen = new Set<string>();
  const out: MountEntry[] = [];
  for (const m of mounts) {
    let mountPoint = m.mountPoint;
    if (root) {
      if (mountPoint === root || mountPoint.startsWith(`${root}/`))
        mountPoint = mountPoint.slice(root.length) || '/';
    }
    if (opts.mountPointsExclude?.test(mountPoint)) continue;
    if (opts.fsTypesExclude?.test(m.fsType)) continue;
    const key = `${m.device}\0${mountPoint}\0${m.fsType}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...m, mountPoint });
  }
  return out;
}
