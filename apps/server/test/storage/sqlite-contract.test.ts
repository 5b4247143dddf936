import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@motley/exporter-kit';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { describeStorageContract } from './storage-contract.js';

describeStorageContract('SqliteStorage (small chunks)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'motley-sqlite-'));
  const storage = new SqliteStorage({
    path: dir,
    retentionMs: 1e15,
    clock: new ManualClock(),
    chunkSamples: 64,
  });
  await storage.start();
  return {
    storage,
    async cleanup() {
      await storage.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
