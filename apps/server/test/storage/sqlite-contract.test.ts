import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@motley/exporter-kit';
import { encodePacked } from '../../src/codec/codec-worker.js';
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

// Chunks encoded asynchronously, as the codec thread does, answering a turn of the event loop later.
describeStorageContract('SqliteStorage (chunks encoded asynchronously)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'motley-sqlite-async-'));
  const storage = new SqliteStorage({
    path: dir,
    retentionMs: 1e15,
    clock: new ManualClock(),
    chunkSamples: 16,
    segmentChunks: 2,
    chunkEncoder: {
      encodeChunks: (chunks) => new Promise((resolve) => setImmediate(() => resolve(encodePacked(chunks)))),
    },
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
