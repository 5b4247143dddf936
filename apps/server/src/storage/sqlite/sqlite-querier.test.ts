import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@motley/exporter-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../model/labels.js';
import { Matcher } from '../../model/matchers.js';
import { STALE_NAN } from '../../model/stale-nan.js';
import type { Storage } from '../interface.js';
import { MemoryStorage } from '../memory/memory-storage.js';
import { SqliteStorage } from './sqlite-storage.js';

/**
 * The SQLite querier against the in-memory storage on the same samples: 400 series with small
 * chunks, so a select reads segment rows (one statement per series, or one scan for many
 * series), sealed chunks waiting for their segment and the open head, cut by windows that start
 * and end inside chunks.
 */
const SERIES = 400;
const dirs: string[] = [];
const open: SqliteStorage[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function openSqlite(dir: string): Promise<SqliteStorage> {
  const s = new SqliteStorage({
    path: dir,
    retentionMs: 1e15,
    clock: new ManualClock(),
    chunkSamples: 16,
    segmentChunks: 3,
  });
  await s.start();
  open.push(s);
  return s;
}

/** A value for sample k of series i: decimals, integers, and now and then a special float. */
function value(i: number, k: number): number {
  if (k % 37 === 36 && i % 5 === 0) return STALE_NAN;
  if (k % 53 === 52 && i % 7 === 0) return Number.POSITIVE_INFINITY;
  if (i % 4 === 0) return k * 1.5 + i;
  if (i % 4 === 1) return Math.round(Math.sin(k + i) * 1e4) / 100;
  if (i % 4 === 2) return 42;
  return (i * 7919 + k * k * 104729) % 1e9;
}

/** Writes the same samples to both storages: in time order in several commits, then some late ones. */
async function fill(targets: Storage[]): Promise<void> {
  const steps = 130;
  for (let from = 0; from < steps; from += 20) {
    const apps = targets.map((s) => s.appender());
    for (let i = 0; i < SERIES; i++) {
      const labels = labelsFromRecord({ __name__: `m${i % 3}`, idx: String(i), grp: String(i % 7) });
      // Series start and stop at different steps; some have gaps.
      for (let k = Math.max(from, i % 50); k < Math.min(from + 20, steps - (i % 30)); k++) {
        if (i % 11 === 0 && k % 9 < 3) continue;
        const t = 1_000_000 + k * 15_000 + (i % 3);
        for (const a of apps) a.append(0, labels, t, value(i, k));
      }
    }
    for (const a of apps) await a.commit();
  }
  // Out-of-order samples into sealed chunks of every tenth series.
  const apps = targets.map((s) => s.appender());
  for (let i = 0; i < SERIES; i += 10) {
    const labels = labelsFromRecord({ __name__: `m${i % 3}`, idx: String(i), grp: String(i % 7) });
    for (const a of apps) a.append(0, labels, 1_000_000 + 60 * 15_000 + 7_000, -1.25);
  }
  for (const a of apps) await a.commit();
}

function selectAll(s: Storage, matchers: Matcher[], mint: number, maxt: number, latestOnly = false) {
  const q = s.querier(mint, maxt);
  const out = q.select(matchers, { latestOnly }).map((x) => {
    const { t, v } = x.samples();
    const words = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
    return { labels: x.labels.map((l) => `${l.name}=${l.value}`).join(','), t: [...t], words: [...words] };
  });
  q.close();
  return out;
}

const matcherSets: Array<[string, Matcher[]]> = [
  ['every series (one scan)', [new Matcher('=~', '__name__', 'm.+')]],
  ['most series (one scan, some skipped)', [new Matcher('!~', 'idx', '1.*|.*7')]],
  ['one metric (a statement per series)', [new Matcher('=', '__name__', 'm1')]],
  ['a few series', [new Matcher('=', 'grp', '3'), new Matcher('=~', 'idx', '.*3')]],
];
const windows: Array<[number, number]> = [
  [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
  [1_000_000 + 129 * 15_000 - 300_000, 1_000_000 + 129 * 15_000], // a lookback at the end
  [1_000_000 + 17 * 15_000 + 1, 1_000_000 + 50 * 15_000 - 1], // inside chunks at both ends
  [1_000_000 + 60 * 15_000, 1_000_000 + 61 * 15_000], // around the out-of-order samples
  [0, 999_999], // before every sample
];

describe('SqliteQuerier', () => {
  it('selects the same samples as the in-memory storage, before and after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motley-querier-'));
    dirs.push(dir);
    const memory = new MemoryStorage();
    let sqlite = await openSqlite(dir);
    await fill([memory, sqlite]);
    for (const round of ['running', 'restarted']) {
      for (const [name, matchers] of matcherSets) {
        for (const [mint, maxt] of windows) {
          const want = selectAll(memory, matchers, mint, maxt);
          const got = selectAll(sqlite, matchers, mint, maxt);
          expect(got.length, `${round} ${name} [${mint}, ${maxt}]`).toBe(want.length);
          expect(got, `${round} ${name} [${mint}, ${maxt}]`).toEqual(want);
          // With latestOnly each series keeps its newest sample alone, value bits included.
          const newest = want.map((w) => ({ ...w, t: w.t.slice(-1), words: w.words.slice(-2) }));
          expect(selectAll(sqlite, matchers, mint, maxt, true), `${round} ${name} latest`).toEqual(newest);
        }
      }
      await sqlite.stop();
      open.splice(open.indexOf(sqlite), 1);
      sqlite = await openSqlite(dir);
    }
    // A series added after a large select (which orders by the index's label order) sorts among them.
    expect(selectAll(sqlite, matcherSets[0][1], 0, Number.POSITIVE_INFINITY)).toHaveLength(SERIES);
    for (const target of [memory, sqlite]) {
      const app = target.appender();
      app.append(0, labelsFromRecord({ __name__: 'm1', idx: '0', grp: '9' }), 1_000_000 + 129 * 15_000, 1);
      await app.commit();
    }
    for (const [mint, maxt] of windows) {
      const matchers = matcherSets[0][1];
      expect(selectAll(sqlite, matchers, mint, maxt)).toEqual(selectAll(memory, matchers, mint, maxt));
    }
    // The selections above must have covered many series, or the scan path was not exercised.
    expect(
      selectAll(memory, matcherSets[0][1], Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
    ).toHaveLength(SERIES + 1);
  });
});
