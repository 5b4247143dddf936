import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireProgram } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../../src/model/labels.js';
import { Engine } from '../../../src/promql/engine.js';
import { prettyExpr } from '../../../src/promql/format.js';
import { parseExpr } from '../../../src/promql/parser.js';
import type { Queryable } from '../../../src/storage/interface.js';
import { SqliteStorage } from '../../../src/storage/sqlite/sqlite-storage.js';
import { toHttpError } from '../../../src/web/api/v1/query-handlers.js';
import { queryDataJson } from '../../../src/web/api/v1/result-json.js';
import type { HttpError } from '../../../src/web/http-util.js';
import { FixtureQueryable } from '../fixture-queryable.js';
import { buildCorpus } from './corpus.js';
import { buildDataset, DATA_START } from './dataset.js';
import { ReferencePrometheus } from './reference-prometheus.js';
import { encodeWriteRequest } from './remote-write-encoder.js';

const prometheusBinary = requireProgram('prometheus');

/** The query as Prometheus 2.42 spells it: double_exponential_smoothing was holt_winters there. */
const reference = (q: string) => q.replaceAll('double_exponential_smoothing(', 'holt_winters(');

interface Answer {
  status: string;
  errorType?: string;
  data?: { resultType: string; result: unknown };
  error?: string;
}

/** Result rows keyed by their label set; values as numbers. */
function canonical(a: Answer): Map<string, [number, number, string][]> | number[] | string {
  const r = a.data!.result as unknown;
  if (a.data!.resultType === 'scalar' || a.data!.resultType === 'string')
    return (r as [number, string]).map(Number);
  const rows = new Map<string, [number, number, string][]>();
  for (const s of r as {
    metric: Record<string, string>;
    value?: [number, string];
    values?: [number, string][];
  }[]) {
    const key = JSON.stringify(Object.entries(s.metric).sort());
    rows.set(
      key,
      (s.values ?? [s.value!]).map(([t, v]) => [Number(t), Number(v)]),
    );
  }
  return rows;
}

function close(x: number, y: number): boolean {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
}

/** Undefined when the answers agree, else a one-line description of the first difference. */
function difference(ours: Answer, theirs: Answer): string | undefined {
  if (ours.status !== theirs.status)
    return `status ${ours.status} (${ours.error ?? ''}) vs ${theirs.status} (${theirs.error ?? ''})`;
  if (ours.status !== 'success') {
    if (ours.errorType !== theirs.errorType) return `errorType ${ours.errorType} vs ${theirs.errorType}`;
    // Parse errors must read the same, position included.
    if (theirs.error?.includes('parse error') && ours.error !== theirs.error) {
      return `"${ours.error}" vs "${theirs.error}"`;
    }
    return undefined;
  }
  if (ours.data!.resultType !== theirs.data!.resultType)
    return `type ${ours.data!.resultType} vs ${theirs.data!.resultType}`;
  const a = canonical(ours);
  const b = canonical(theirs);
  if (!(a instanceof Map) || !(b instanceof Map)) {
    const x = a as number[];
    const y = b as number[];
    return x[0] === y[0] && close(x[1], y[1]) ? undefined : `scalar ${x} vs ${y}`;
  }
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (!vb) return `extra series ${k}`;
    if (va.length !== vb.length) return `${k}: ${va.length} points vs ${vb.length}`;
    for (let i = 0; i < va.length; i++) {
      if (va[i][0] !== vb[i][0] || !close(va[i][1], vb[i][1]))
        return `${k} at ${vb[i][0]}: ${va[i][1]} vs ${vb[i][1]}`;
      // Equal numbers must also be written alike.
      if (va[i][1] === vb[i][1] && va[i][2] !== vb[i][2])
        return `${k} at ${vb[i][0]}: "${va[i][2]}" vs "${vb[i][2]}"`;
    }
  }
  for (const k of b.keys()) if (!a.has(k)) return `missing series ${k}`;
  return undefined;
}

describe.skipIf(!prometheusBinary)('differential: answers equal Prometheus 2.42', () => {
  const prometheus = new ReferencePrometheus(prometheusBinary ?? 'prometheus');
  // The same data in the SQLite storage the server runs on and in typed arrays held in memory.
  const sqliteDir = mkdtempSync(join(tmpdir(), 'promql-diff-sqlite-'));
  const sqlite = new SqliteStorage({
    path: sqliteDir,
    retentionMs: 100 * 365 * 86_400_000,
    clock: { now: () => Date.now() },
  });
  const fixture = new FixtureQueryable();
  const storages: [string, Queryable][] = [
    ['sqlite', sqlite],
    ['memory', fixture],
  ];
  const engine = new Engine({ timeout: 60_000, maxSamples: 50_000_000, lookbackDelta: 300_000 });

  beforeAll(async () => {
    await prometheus.start();
    const dataset = buildDataset();
    for (let i = 0; i < dataset.length; i += 20)
      await prometheus.remoteWrite(encodeWriteRequest(dataset.slice(i, i + 20)));
    await sqlite.start();
    const app = sqlite.appender();
    for (const s of dataset) {
      const labels = labelsFromRecord(s.labels);
      for (let i = 0; i < s.t.length; i++) app.append(0, labels, s.t[i], s.v[i]);
      fixture.add(
        labels,
        s.t.map((t, i) => ({ t, v: s.v[i] })),
      );
    }
    await app.commit();
  }, 60_000);
  afterAll(async () => {
    await prometheus.stop();
    await sqlite.stop();
    rmSync(sqliteDir, { recursive: true, force: true });
  });

  // Prometheus prefixes parse errors with the parameter on /api/v1/query only.
  const ours = (run: () => ReturnType<Engine['instantQuery']>, parsePrefix?: string): Answer => {
    try {
      return { status: 'success', data: JSON.parse(queryDataJson(run())) };
    } catch (e) {
      const http = toHttpError(e, parsePrefix) as HttpError;
      return { status: 'error', errorType: http.errorType ?? 'internal', error: http.message };
    }
  };

  it('runs the corpus as instant and range queries with equal answers', async () => {
    const corpus = buildCorpus();
    // Even milliseconds: every sample sits on an odd millisecond, so no window edge hits a sample.
    const instants = [DATA_START + 1_234_568, DATA_START + 2_400_100, DATA_START + 3_700_002];
    const range = { start: DATA_START + 600_002, end: DATA_START + 3_500_002, step: 60_000 };
    const mismatches: string[] = [];
    let compared = 0;
    for (const q of corpus) {
      for (const t of instants) {
        const theirs = (await prometheus.api('/api/v1/query', {
          query: reference(q),
          time: (t / 1000).toFixed(3),
        })) as Answer;
        for (const [name, storage] of storages) {
          const diff = difference(
            ours(() => engine.instantQuery(storage, q, t)),
            theirs,
          );
          compared++;
          if (diff) mismatches.push(`${name}: instant ${q} @ ${t}: ${diff}`);
        }
      }
      const theirs = (await prometheus.api('/api/v1/query_range', {
        query: reference(q),
        start: (range.start / 1000).toFixed(3),
        end: (range.end / 1000).toFixed(3),
        step: String(range.step / 1000),
      })) as Answer;
      for (const [name, storage] of storages) {
        const diff = difference(
          ours(() => engine.rangeQuery(storage, q, range.start, range.end, range.step), ''),
          theirs,
        );
        compared++;
        if (diff) mismatches.push(`${name}: range ${q}: ${diff}`);
      }
    }
    expect(corpus.length).toBeGreaterThan(300);
    expect(compared).toBe(corpus.length * 4 * storages.length);
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('carries real stale markers in the dataset to both sides', async () => {
    const flapping = buildDataset().find(
      (s) => s.labels.__name__ === 'flapping_up' && s.labels.instance === 'host-a:9100',
    )!;
    const words = new Uint32Array(flapping.v.buffer);
    const at = flapping.t.findIndex((_t, i) => words[i * 2] === 2 && words[i * 2 + 1] === 0x7ff00000);
    expect(at).toBeGreaterThan(0);
    const justAfter = flapping.t[at] + 1;
    const before = flapping.t[at] - 1;
    for (const [, storage] of storages) {
      expect(engine.instantQuery(storage, 'flapping_up{instance="host-a:9100"}', before)).toMatchObject({
        series: [{ v: 1 }],
      });
      expect(engine.instantQuery(storage, 'flapping_up{instance="host-a:9100"}', justAfter)).toMatchObject({
        series: [],
      });
    }
    const theirs = (await prometheus.api('/api/v1/query', {
      query: 'flapping_up{instance="host-a:9100"}',
      time: (justAfter / 1000).toFixed(3),
    })) as Answer;
    expect(theirs.data?.result).toEqual([]);
  });

  it('pretty-prints the corpus exactly as format_query does', async () => {
    const mismatches: string[] = [];
    for (const q of buildCorpus().filter((x) => reference(x) === x)) {
      const theirs = (await prometheus.api('/api/v1/format_query', { query: q })) as {
        status: string;
        data?: string;
      };
      if (theirs.status !== 'success') continue;
      const ours = prettyExpr(parseExpr(q));
      if (ours !== theirs.data) mismatches.push(`${q}\n  ours:   ${ours}\n  theirs: ${theirs.data}`);
    }
    expect(mismatches).toEqual([]);
  }, 60_000);
});
