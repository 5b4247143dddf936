import { mkdirSync, writeFileSync } from 'node:fs';
import { allFlags, type MetricFamily, parseFlags, silentLogger, systemClock } from '@motley/exporter-kit';
import { tempDir } from '@motley/exporter-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { filesystemCollector } from '../src/collectors/filesystem.js';
import { definition } from '../src/exporter.js';

/**
 * A worker whose statfs blocks, as the kernel does on a hard NFS mount whose server is gone,
 * for every path ending in "/hung" (for 20 s, longer than the test; the runner abandons it).
 */
const HANGING_WORKER = `
const { parentPort } = require('node:worker_threads');
const { statfsSync } = require('node:fs');
parentPort.on('message', (path) => {
  if (path.endsWith('/hung')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000);
  const s = statfsSync(path.endsWith('/hung') ? '/' : path);
  parentPort.postMessage({ path, ok: true, stats: { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree } });
});
`;

const value = (families: MetricFamily[], name: string, mountpoint: string) =>
  families.find((f) => f.name === name)?.samples.find((s) => s.labels?.mountpoint === mountpoint)?.value;

describe('a hung network mount', () => {
  const proc = tempDir('nano-hung-');
  mkdirSync(`${proc.path}/1`);
  writeFileSync(`${proc.path}/1/mounts`, '/dev/vda / ext4 rw 0 0\nnas:/export /srv/hung nfs4 rw,hard 0 0\n');
  const flags = parseFlags(allFlags(definition), [
    `--path.procfs=${proc.path}`,
    '--collector.filesystem.mount-timeout=300ms',
  ]);
  const collector = filesystemCollector.create({
    paths: { procfs: proc.path, sysfs: '/sys', rootfs: '/' },
    flags,
    log: silentLogger,
    clock: systemClock,
    statfsWorkerSource: HANGING_WORKER,
  });
  afterAll(async () => {
    await collector.stop?.();
    proc.cleanup();
  });

  it('costs one mount timeout, marks device_error and keeps the other mounts', async () => {
    const started = Date.now();
    const families = await collector.collect(new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(value(families, 'node_filesystem_device_error', '/srv/hung')).toBe(1);
    expect(value(families, 'node_filesystem_size_bytes', '/srv/hung')).toBeUndefined();
    expect(value(families, 'node_filesystem_device_error', '/')).toBe(0);
    expect(value(families, 'node_filesystem_size_bytes', '/')).toBeGreaterThan(0);
  });

  it('does not wait for it again on the next scrape, and says so on the landing page', async () => {
    const started = Date.now();
    const families = await collector.collect(new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(250);
    expect(value(families, 'node_filesystem_device_error', '/srv/hung')).toBe(1);
    expect(collector.absentReason?.()).toBe('filesystem: unresponsive mounts (device_error 1): /srv/hung');
  });
});
