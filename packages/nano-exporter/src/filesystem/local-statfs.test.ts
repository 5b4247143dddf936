import { describe, expect, it } from 'vitest';
import { mayHang, statfsNow } from './local-statfs.js';

describe('local statfs', () => {
  it('sends network, FUSE and unknown filesystems to the worker', () => {
    for (const t of ['nfs', 'nfs4', 'cifs', 'smb3', 'fuse.sshfs', 'ceph', '9p', 'virtiofs', 'something-new'])
      expect(mayHang(t)).toBe(true);
    for (const t of ['ext4', 'xfs', 'btrfs', 'tmpfs', 'vfat', 'zfs']) expect(mayHang(t)).toBe(false);
  });
  it('reads sizes directly and reports errors by code', () => {
    const r = statfsNow('/');
    expect(r.ok && r.stats.blocks > 0 && r.stats.bsize > 0).toBe(true);
    expect(statfsNow('/no/such/mount')).toEqual({ ok: false, error: 'ENOENT' });
  });
});
