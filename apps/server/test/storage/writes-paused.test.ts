import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@motley/exporter-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { labelsFromRecord } from '../../src/model/labels.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SqliteStorage onWritesPaused', () => {
  it('is called once writes paused and the checkpoint after them is done, not while they go on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-paused-'));
    dirs.push(dir);
    let calls = 0;
    const storage = new SqliteStorage({
      path: dir,
      retentionMs: 1e15,
      clock: new ManualClock(),
      idleCheckpointMs: 100,
      onWritesPaused: () => calls++,
    });
    await storage.start();
    const write = async (t: number) => {
      const app = storage.appender();
      app.append(0, labelsFromRecord({ __name__: 'up' }), t, 1);
      await app.commit();
    };
    for (let i = 0; i < 10; i++) await write(i * 1000);
    expect(calls).toBe(0);
    await vi.waitFor(() => expect(calls).toBe(1), { timeout: 3000 });
    await write(20_000);
    await vi.waitFor(() => expect(calls).toBe(2), { timeout: 3000 });
    await storage.stop();
  });
});
