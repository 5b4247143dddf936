import { mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { sampleValue, startOnRandomPort, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition } from '../src/exporter.js';

/**
 * The filesystem collector over a hand-written mount table: a local mount (asked directly), a
 * network mount (asked through the statfs worker), a read-only one, a mount point that is gone,
 * and mounts the default excludes drop.
 */
describe('filesystem collector', () => {
  const proc = tempDir('nano-fs-proc-');
  const mnt = tempDir('nano-fs-mnt-');
  let text = '';
  beforeAll(async () => {
    mkdirSync(`${proc.path}/1`);
    mkdirSync(`${mnt.path}/share`);
    writeFileSync(
      `${proc.path}/1/mounts`,
      [
        '/dev/vda / ext4 rw,relatime 0 0',
        `server:/export ${mnt.path}/share nfs4 rw,hard 0 0`,
        `/dev/sr0 ${mnt.path}/share/with\\040space xfs ro 0 0`,
        `server:/gone ${mnt.path}/gone nfs4 rw 0 0`,
        'proc /proc proc rw 0 0',
        'tmpfs /run tmpfs rw 0 0',
        '',
      ].join('\n'),
    );
    mkdirSync(`${mnt.path}/share/with space`);
    const running = await startOnRandomPort(definition, [
      `--path.procfs=${proc.path}`,
      '--collector.disable-defaults',
      '--collector.filesystem',
    ]);
    try {
      text = (await running.scrapeText()).text;
    } finally {
      await running.stop();
    }
  });
  afterAll(() => {
    proc.cleanup();
    mnt.cleanup();
  });

  it('reports sizes from statfs for local and network mounts', () => {
    const root = statfsSync('/');
    const rootLabels = { device: '/dev/vda', fstype: 'ext4', mountpoint: '/' };
    expect(sampleValue(text, 'node_filesystem_size_bytes', rootLabels)).toBe(root.blocks * root.bsize);
    const share = { device: 'server:/export', fstype: 'nfs4', mountpoint: `${mnt.path}/share` };
    const expected = statfsSync(`${mnt.path}/share`);
    expect(sampleValue(text, 'node_filesystem_size_bytes', share)).toBe(expected.blocks * expected.bsize);
    expect(sampleValue(text, 'node_filesystem_device_error', share)).toBe(0);
  });

  it('unescapes mount points and reports read-only mounts', () => {
    const ro = { device: '/dev/sr0', fstype: 'xfs', mountpoint: `${mnt.path}/share/with space` };
    expect(sampleValue(text, 'node_filesystem_readonly', ro)).toBe(1);
  });

  it('marks a mount it cannot stat with device_error and no sizes', () => {
    const gone = { device: 'server:/gone', fstype: 'nfs4', mountpoint: `${mnt.path}/gone` };
    expect(sampleValue(text, 'node_filesystem_device_error', gone)).toBe(1);
    expect(sampleValue(text, 'node_filesystem_size_bytes', gone)).toBeUndefined();
    expect(sampleValue(text, 'node_scrape_collector_success', { collector: 'filesystem' })).toBe(1);
  });

  it('applies the default excludes', () => {
    expect(text).not.toContain('mountpoint="/proc"');
    expect(text).not.toContain('mountpoint="/run"');
  });
});
