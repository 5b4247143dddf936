/** Where the host's /proc, /sys and / are; tests and containers point these elsewhere. */
export interface HostPaths {
  procfs: string;
  sysfs: string;
  rootfs: string;
}

function join(root: string, rel: string): string {
  return root.endsWith('/') ? root + rel : `${root}/${rel}`;
}

export function procPath(paths: HostPaths, rel: string): string {
  return join(paths.procfs, rel);
}

export function sysPath(paths: HostPaths, rel: string): string {
  return join(paths.sysfs, rel);
}

/** A path as seen from the host root, e.g. a mount point under --path.rootfs. */
export function rootPath(paths: HostPaths, abs: string): string {
  if (paths.rootfs === '/' || paths.rootfs === '') return abs;
  return paths.rootfs.replace(/\/+$/, '') + abs;
}
