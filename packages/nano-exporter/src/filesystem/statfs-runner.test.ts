import { afterEach, describe, expect, it } from 'vitest';
import { StatfsRunner } from './statfs-runner.js';

/**
 * A worker that behaves like statfs on a hung NFS mount for paths ending in "/hung": it blocks
 * the thread synchronously (as the kernel would) until the test releases it through shared memory.
 */
const HANGING_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { statfsSync } = require('node:fs');
const gate = new Int32Array(workerData ?? new SharedArrayBuffer(4));
parentPort.on('message', (path) => {
  if (path.endsWith('/hung')) Atomics.wait(gate, 0, 0, 20000);
  try {
    const s = statfsSync(path.endsWith('/hung') ? '/' : path);
    parentPort.postMessage({ path, ok: true, stats: { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree } });
  } catch (e) {
    parentPort.postMessage({ path, ok: false, error: e.code });
  }
});
`;

describe('StatfsRunner', () => {
  let runner: StatfsRunner | undefined;
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });

  it('answers statfs from a worker thread', async () => {
    runner = new StatfsRunner(5000);
    const r = await runner.statfs('/');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.stats.blocks * r.stats.bsize).toBeGreaterThan(0);
    expect(await runner.statfs('/definitely/not/here')).toEqual({ ok: false, error: 'ENOENT' });
  });

  it('gives up on a hung mount, remembers it, keeps serving others, and recovers', async () => {
    const gate = new SharedArrayBuffer(4);
    runner = new StatfsRunner(150, HANGING_WORKER, gate);
    const started = Date.now();
    const [hung, fine] = await Promise.all([runner.statfs('/mnt/hung'), runner.statfs('/')]);
    expect(hung).toEqual({ ok: false, error: 'statfs timed out after 150 ms' });
    expect(fine.ok).toBe(true);
    expect(runner.stuckPaths()).toEqual(['/mnt/hung']);

    // The next scrape does not wait for it again.
    const again = Date.now();
    expect((await runner.statfs('/mnt/hung')).ok).toBe(false);
    expect(Date.now() - again).toBeLessThan(100);
    expect(Date.now() - started).toBeLessThan(5000);

    // The mount comes back: the stuck call returns and the mount is tried again.
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    await expect.poll(() => runner?.stuckPaths(), { timeout: 3000 }).toEqual([]);
    expect((await runner.statfs('/mnt/hung')).ok).toBe(true);
  });
});
