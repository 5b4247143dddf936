import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FS_TYPES_EXCLUDE,
  DEFAULT_MOUNT_POINTS_EXCLUDE,
  parseMounts,
  selectMounts,
} from './mounts.js';

const MOUNTS = `proc /proc proc rw,relatime 0 0
/dev/vda / ext4 rw,relatime 0 0
/dev/vdb /srv/my\\040data xfs ro,relatime 0 0
/dev/vda / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw 0 0
server:/export /home nfs4 rw,hard 0 0
overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0
`;

describe('mounts', () => {
  it('unescapes octal escapes and splits options', () => {
    const m = parseMounts(MOUNTS);
    expect(m[2]).toEqual({
      device: '/dev/vdb',
      mountPoint: '/srv/my data',
      fsType: 'xfs',
      options: ['ro', 'relatime'],
    });
    expect(() => parseMounts('just two\n')).toThrow('malformed line');
  });
  it("applies node_exporter's default excludes and drops duplicates", () => {
    const selected = selectMounts(parseMounts(MOUNTS), {
      rootfs: '',
      mountPointsExclude: new RegExp(DEFAULT_MOUNT_POINTS_EXCLUDE),
      fsTypesExclude: new RegExp(DEFAULT_FS_TYPES_EXCLUDE),
    });
    expect(selected.map((m) => m.mountPoint)).toEqual(['/', '/srv/my data', '/home']);
  });
  it('strips a --path.rootfs prefix so mount points read as on the host', () => {
    const selected = selectMounts(
      parseMounts(
        '/dev/sda1 /host ext4 rw 0 0\n/dev/sda2 /host/home ext4 rw 0 0\n/dev/sdb /data ext4 rw 0 0\n',
      ),
      {
        rootfs: '/host',
      },
    );
    expect(selected.map((m) => m.mountPoint)).toEqual(['/', '/home', '/data']);
  });
});
