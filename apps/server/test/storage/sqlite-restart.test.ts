import { appendFileSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@motley/exporter-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../src/model/labels.js';
import { Matcher } from '../../src/model/matchers.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dir: string, clock = new ManualClock(), retentionMs = 1e15) {
  return new SqliteStorage({ path: dir, retentionMs, clock, chunkSamples: 32, idleCheckpointMs: 10_000 });
}

async function write(s: SqliteStorage, name: string, times: number[]) {
  const app = s.appender();
  for (const t of times) app.append(0, labelsFromRecord({ __name__: name }), t, t / 1000);
  await app.commit();
}

/** Closes the files without a checkpoint, as a killed process would leave them. */
function crash(s: SqliteStorage) {
  const internals = s as unknown as {
    durableLog: { close(): void };
    db: { close(): void };
    unlock(): void;
    checkpoints: { stopTimer(): void };
    retentionTimer?: NodeJS.Timeout;
  };
  internals.checkpoints.stopTimer();
  clearInterval(internals.retentionTimer);
  internals.durableLog.close();
  internals.db.close();
  internals.unlock();
}

function read(s: SqliteStorage, name: string) {
  const series = s.querier(-Infinity, Infinity).select([new Matcher('=', '__name__', name)]);
  return series.length ? [...series[0].samples().t] : [];
}

describe('SqliteStorage across restarts', () => {
  it('continues sealed and head chunks after a restart, including backfill into both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-restart-'));
    dirs.push(dir);
    let s = open(dir);
    await s.start();
    const first = Array.from({ length: 50 }, (_, i) => (i + 100) * 1000); // 32 sealed + 18 in the head
    await write(s, 'm', first);
    await s.stop();
    s = open(dir);
    await s.start();
    expect(read(s, 'm')).toEqual(first);
    const more = [...Array.from({ length: 30 }, (_, i) => (i + 150) * 1000), 5000, 120_000, 140_500];
    await write(s, 'm', more);
    const want = [...new Set([...first, ...more])].sort((a, b) => a - b);
    expect(read(s, 'm')).toEqual(want);
    await s.stop();
    s = open(dir);
    await s.start();
    expect(read(s, 'm')).toEqual(want);
    await s.stop();
  });

  it('reads many series with one range scan and returns what per-series reads return', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-batch-'));
    dirs.push(dir);
    let s = open(dir);
    await s.start();
    const app = s.appender();
    // 300 series (past the batch-read threshold), 100 samples each: three sealed chunks on disk after a restart.
    for (let i = 0; i < 300; i++) {
      for (let k = 0; k < 100; k++)
        app.append(0, labelsFromRecord({ __name__: 'g', i: String(i) }), (k + 1) * 1000, i * 1000 + k);
    }
    await app.commit();
    await s.stop();
    s = open(dir);
    await s.start();
    for (const [mint, maxt] of [
      [40_000, 70_000],
      [-Infinity, Infinity],
      [99_500, 200_000],
    ]) {
      const all = s.querier(mint, maxt).select([new Matcher('=', '__name__', 'g')]);
      expect(all).toHaveLength(300);
      for (const series of all) {
        const i = series.labels.find((l) => l.name === 'i')!.value;
        const one = s
          .querier(mint, maxt)
          .select([new Matcher('=', '__name__', 'g'), new Matcher('=', 'i', i)]);
        expect([...series.samples().t]).toEqual([...one[0].samples().t]);
        expect([...series.samples().v]).toEqual([...one[0].samples().v]);
      }
      const first = all.find((x) => x.labels.some((l) => l.name === 'i' && l.value === '7'))!;
      const t = [...first.samples().t];
      expect(t[0]).toBe(Math.max(1000, Math.ceil(mint / 1000) * 1000));
      expect(t.at(-1)).toBe(Math.min(100_000, Math.floor(maxt / 1000) * 1000));
    }
    await s.stop();
  });

  it('replays the durable log after a crash and drops a torn tail with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-restart-'));
    dirs.push(dir);
    const s = open(dir);
    await s.start();
    await write(s, 'a', [1000, 2000, 3000]);
    // Simulate a crash: no stop(), so no checkpoint; then a write cut short at the end of the log.
    const segment = join(dir, 'head-log', '00000001.log');
    expect(statSync(segment).size).toBeGreaterThan(0);
    appendFileSync(segment, Buffer.from([200, 0, 0, 0, 1, 2, 3]));
    crash(s);
    const warnings: string[] = [];
    const log = {
      debug() {},
      info() {},
      warn: (msg: string) => warnings.push(msg),
      error() {},
    };
    const again = new SqliteStorage({
      path: dir,
      retentionMs: 1e15,
      clock: new ManualClock(),
      log: log as never,
    });
    await again.start();
    expect(read(again, 'a')).toEqual([1000, 2000, 3000]);
    expect(warnings.join('\n')).toMatch(/torn tail/);
    await again.stop();
  });

  it('trims the durable log to the segments open chunks still need, and loses nothing in a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-trim-'));
    dirs.push(dir);
    const options = {
      path: dir,
      retentionMs: 1e15,
      clock: new ManualClock(),
      chunkSamples: 32,
      segmentChunks: 3,
      idleCheckpointMs: 10_000,
      maxLogBytes: 4096,
      logSegmentBytes: 2048,
    };
    const s = new SqliteStorage(options);
    await s.start();
    // 20 series, one sample each per commit: 100 commits seal each series' chunks three times.
    const want = new Map<string, number[]>();
    for (let k = 0; k < 100; k++) {
      const app = s.appender();
      for (let i = 0; i < 20; i++) {
        app.append(0, labelsFromRecord({ __name__: 'trim', i: String(i) }), (k + 1) * 1000, i * 1000 + k);
        want.set(String(i), [...(want.get(String(i)) ?? []), (k + 1) * 1000]);
      }
      await app.commit();
    }
    const segments = readdirSync(join(dir, 'head-log'));
    // 100 commits of 20 samples are about 41 KB of log: trims kept only what the open chunks need
    // (the 4 samples of each open chunk after 3 x 32 sealed, and the newest segments).
    const logBytes = segments.reduce((a, f) => a + statSync(join(dir, 'head-log', f)).size, 0);
    expect(logBytes).toBeLessThan(12 * 1024);
    expect(s.diskBytes()).toBeGreaterThanOrEqual(logBytes + statSync(join(dir, 'motley.db')).size);
    expect(Number(segments.sort()[0].slice(0, 8))).toBeGreaterThan(5);
    crash(s);
    const again = new SqliteStorage(options);
    await again.start();
    const all = again.querier(-Infinity, Infinity).select([new Matcher('=', '__name__', 'trim')]);
    expect(all).toHaveLength(20);
    for (const series of all) {
      const i = series.labels.find((l) => l.name === 'i')!.value;
      expect([...series.samples().t]).toEqual(want.get(i));
      expect([...series.samples().v]).toEqual(want.get(i)!.map((_, k) => Number(i) * 1000 + k));
    }
    await again.stop();
    // A clean stop checkpoints everything: no segment holds samples any more.
    const left = readdirSync(join(dir, 'head-log')).reduce(
      (a, f) => a + statSync(join(dir, 'head-log', f)).size,
      0,
    );
    expect(left).toBe(0);
  });

  it('checkpoints in slices while writes go on, and a crash at any point loses nothing', async () => {
    for (const crashAfterTurns of [0, 1, 2, 3, 10]) {
      const dir = mkdtempSync(join(tmpdir(), 'motley-slices-'));
      dirs.push(dir);
      const options = {
        path: dir,
        retentionMs: 1e15,
        clock: new ManualClock(),
        chunkSamples: 8,
        segmentChunks: 2,
        idleCheckpointMs: 1,
        checkpointSlice: 7,
        logSegmentBytes: 1024,
      };
      const s = new SqliteStorage(options);
      await s.start();
      const want = new Map<string, number[]>();
      const commit = async (k: number) => {
        const app = s.appender();
        for (let i = 0; i < 30; i++) {
          app.append(0, labelsFromRecord({ __name__: 'sl', i: String(i) }), k * 1000, k);
          want.set(String(i), [...(want.get(String(i)) ?? []), k * 1000]);
        }
        await app.commit();
      };
      for (let k = 1; k <= 12; k++) await commit(k);
      await new Promise((r) => setTimeout(r, 5)); // the idle checkpoint starts: 30 series in slices of 7
      for (let turn = 0; turn < crashAfterTurns; turn++) {
        await new Promise((r) => setImmediate(r));
        await commit(12 + turn + 1);
      }
      crash(s);
      const again = new SqliteStorage(options);
      await again.start();
      const all = again.querier(-Infinity, Infinity).select([new Matcher('=', '__name__', 'sl')]);
      expect(all).toHaveLength(30);
      for (const series of all) {
        const i = series.labels.find((l) => l.name === 'i')!.value;
        expect([...series.samples().t], `crash after ${crashAfterTurns} turns`).toEqual(want.get(i));
      }
      await again.stop();
    }
  });

  it('an idle checkpoint leaves no durable log and an empty SQLite WAL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-idle-'));
    dirs.push(dir);
    const s = new SqliteStorage({
      path: dir,
      retentionMs: 1e15,
      clock: new ManualClock(),
      chunkSamples: 8,
      idleCheckpointMs: 1,
      checkpointSlice: 5,
    });
    await s.start();
    for (let k = 1; k <= 20; k++) {
      const app = s.appender();
      for (let i = 0; i < 40; i++)
        app.append(0, labelsFromRecord({ __name__: 'idle', i: String(i) }), k * 1000, k);
      await app.commit();
    }
    expect(statSync(join(dir, 'motley.db-wal')).size).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50)); // 40 series in slices of 5
    const logBytes = readdirSync(join(dir, 'head-log')).reduce(
      (a, f) => a + statSync(join(dir, 'head-log', f)).size,
      0,
    );
    expect(logBytes).toBe(0);
    expect(statSync(join(dir, 'motley.db-wal')).size).toBe(0);
    await s.stop();
  });

  it('replays the single head.log file of earlier versions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-legacy-'));
    dirs.push(dir);
    const s = open(dir);
    await s.start();
    await write(s, 'legacy', [1000, 2000, 3000]);
    crash(s);
    renameSync(join(dir, 'head-log', '00000001.log'), join(dir, 'head.log'));
    const again = open(dir);
    await again.start();
    expect(read(again, 'legacy')).toEqual([1000, 2000, 3000]);
    await write(again, 'legacy', [4000]);
    await again.stop();
    expect(readdirSync(dir)).not.toContain('head.log');
    const last = open(dir);
    await last.start();
    expect(read(last, 'legacy')).toEqual([1000, 2000, 3000, 4000]);
    await last.stop();
  });

  it('keeps a checkpointed head across a crash after backfill flushed its sealed chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-restart-'));
    dirs.push(dir);
    const s = open(dir);
    await s.start();
    const times = Array.from({ length: 40 }, (_, i) => (i + 100) * 1000); // 32 sealed (pending) + 8 open
    await write(s, 'b', times);
    s.checkpoint(); // head row: the pending chunk and the 8 open samples; the log is emptied
    await write(s, 'b', [50_000]); // older than every sealed chunk: flushes the pending chunk
    crash(s);
    const again = open(dir);
    await again.start();
    expect(read(again, 'b')).toEqual([50_000, ...times]);
    await again.stop();
  });

  it('retention drops whole chunks older than the period and keeps newer ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-restart-'));
    dirs.push(dir);
    const clock = new ManualClock(1_000_000);
    const s = open(dir, clock, 100_000);
    await s.start();
    await write(
      s,
      'r',
      Array.from({ length: 64 }, (_, i) => 900_000 + i * 1000),
    ); // two sealed chunks
    clock.set(950_000 + 100_000); // cutoff 950 s: the first chunk ends at 931 s, the second at 963 s
    s.applyRetention();
    expect(read(s, 'r')).toEqual(Array.from({ length: 32 }, (_, i) => 932_000 + i * 1000));
    await s.stop();
  });
});
