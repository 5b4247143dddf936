import { statfsSync } from 'node:fs';
import type { StatfsResult } from './statfs-runner.js';

/**
 * Filesystem types whose statfs answers from kernel memory and cannot wait on a network peer or
 * a FUSE daemon. These are asked directly (microseconds, no thread hop); every other type (nfs,
 * cifs, fuse.*, ceph, 9p, virtiofs and anything unknown) goes through the worker with a deadline.
 */
const LOCAL_FS_TYPES = new Set([
  'bcachefs',
  'btrfs',
  'exfat',
  'ext2',
  'ext3',
  'ext4',
  'f2fs',
  'hfs',
  'hfsplus',
  'jfs',
  'msdos',
  'nilfs2',
  'ntfs',
  'ntfs3',
  'ramfs',
  'reiserfs',
  'tmpfs',
  'udf',
  'vfat',
  'xfs',
  'zfs',
]);

export function mayHang(fsType: string): boolean {
  return !LOCAL_FS_TYPES.has(fsType);
}

export function statfsNow(path: string): StatfsResult {
  try {
    const s = statfsSync(path);
    return {
      ok: true,
      stats: {
        bsize: s.bsize,
        blocks: s.blocks,
        bfree: s.bfree,
        bavail: s.bavail,
        files: s.files,
        ffree: s.ffree,
      },
    };
  } catch (e) {
    return { ok: false, error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}
