import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@motley/exporter-kit';
import { afterEach, describe, expect, it } from 'vitest';
import type { EncodedChunks, PackedChunks } from '../../src/codec/codec-worker.js';
import { encodePacked } from '../../src/codec/codec-worker.js';
import { labelsFromRecord } from '../../src/model/labels.js';
import { Matcher } from '../../src/model/matchers.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An encoder whose answers wait until the test releases them (or fail, when told to). */
class HeldEncoder {
  jobs: Array<{ chunks: PackedChunks; resolve(e: EncodedChunks): void; reject(e: Error): void }> = [];
  encodeChunks(chunks: PackedChunks): Promise<EncodedChunks> {
    return new Promise((resolve, reject) => this.jobs.push({ chunks, resolve, reject }));
  }
  release(): void {
    for (const j of this.jobs.splice(0)) j.resolve(encodePacked(j.chunks));
  }
  failAll(): void {
    for (const j of this.jobs.splice(0)) j.reject(new Error('thread gone'));
  }
}

function open(dir: string, encoder?: HeldEncoder) {
  return new SqliteStorage({
    path: dir,
    retentionMs: 1e15,
    clock: new ManualClock(),
    chunkSamples: 10,
    segmentChunks: 2,
    idleCheckpointMs: 60_000,
    chunkEncoder: encoder,
  });
}

async function write(s: SqliteStorage, times: number[]) {
  const app = s.appender();
  for (const t of times) app.append(0, labelsFromRecord({ __name__: 'x' }), t, t / 7);
  await app.commit();
}

function read(s: SqliteStorage): { t: number[]; v: number[] } {
  const [series] = s.querier(-Infinity, Infinity).select([new Matcher('=', '__name__', 'x')]);
  const { t, v } = series.samples();
  return { t: [...t], v: [...v] };
}

const times = (from: number, n: number) => Array.from({ length: n }, (_, i) => (from + i) * 1000);

describe('SqliteStorage with chunks encoded on another thread', () => {
  it('answers queries while chunk bytes are outstanding and writes segments once they arrive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-async-'));
    dirs.push(dir);
    const encoder = new HeldEncoder();
    const s = open(dir, encoder);
    await s.start();
    await write(s, times(1, 25)); // two sealed chunks (a segment's worth) and 5 open samples
    expect(encoder.jobs).toHaveLength(1);
    expect(encoder.jobs[0].chunks.offsets).toEqual(new Int32Array([0, 10, 20]));
    expect(s.chunks.count()).toBe(0); // the segment waits for its bytes
    const want = { t: times(1, 25), v: times(1, 25).map((t) => t / 7) };
    expect(read(s)).toEqual(want);
    encoder.release();
    await new Promise((r) => setImmediate(r));
    expect(s.chunks.count()).toBe(1);
    expect(read(s)).toEqual(want);
    await s.stop();
    const again = open(dir);
    await again.start();
    expect(read(again)).toEqual(want);
    await again.stop();
  });

  it('keeps every chunk of a large batch readable while its bytes are outstanding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-async-'));
    dirs.push(dir);
    const encoder = new HeldEncoder();
    const s = open(dir, encoder);
    await s.start();
    const app = s.appender();
    // 600 chunks of 10 samples sealed in one commit: more than the first batch arrays hold.
    for (let i = 0; i < 600; i++)
      for (let k = 1; k <= 10; k++)
        app.append(0, labelsFromRecord({ __name__: 'big', i: String(i) }), k * 1000, i * 100 + k);
    await app.commit();
    expect(encoder.jobs).toHaveLength(1);
    expect(encoder.jobs[0].chunks.offsets.length).toBe(601);
    const check = () => {
      const all = s.querier(-Infinity, Infinity).select([new Matcher('=', '__name__', 'big')]);
      expect(all).toHaveLength(600);
      for (const series of all) {
        const i = Number(series.labels.find((l) => l.name === 'i')!.value);
        expect([...series.samples().v]).toEqual(Array.from({ length: 10 }, (_, k) => i * 100 + k + 1));
      }
    };
    check();
    encoder.release();
    await new Promise((r) => setImmediate(r));
    check();
    await s.stop();
  });

  it('encodes on the main thread when the encoder fails, and loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-async-'));
    dirs.push(dir);
    const encoder = new HeldEncoder();
    const s = open(dir, encoder);
    await s.start();
    await write(s, times(1, 40));
    encoder.failAll();
    await new Promise((r) => setImmediate(r));
    expect(s.chunks.count()).toBe(2);
    await s.stop();
    const again = open(dir);
    await again.start();
    expect(read(again).t).toEqual(times(1, 40));
    await again.stop();
  });

  it('a checkpoint with bytes still outstanding writes the chunks itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-async-'));
    dirs.push(dir);
    const encoder = new HeldEncoder();
    const s = open(dir, encoder);
    await s.start();
    await write(s, times(1, 15));
    s.checkpoint();
    encoder.release(); // arrives after the checkpoint encoded the chunk: ignored
    await new Promise((r) => setImmediate(r));
    await write(s, times(16, 10));
    await s.stop();
    const again = open(dir);
    await again.start();
    expect(read(again)).toEqual({ t: times(1, 25), v: times(1, 25).map((t) => t / 7) });
    await again.stop();
  });
});
