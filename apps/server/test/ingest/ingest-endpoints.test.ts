import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, parseListenAddress, silentLogger } from '@motley/exporter-kit';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/model/matchers.js';
import { IngestMetrics } from '../../src/remote/ingest-metrics.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { registerIngestRoutes } from '../../src/web/api/v1/ingest-routes.js';
import { HttpServer } from '../../src/web/http-server.js';
import { Router } from '../../src/web/router.js';
import { encodeWriteRequest, exportSeries, remoteWrite, snappyCompress } from './helpers.js';

const T0 = 1_700_000_000_000;

describe('ingest endpoints over HTTP', () => {
  let dir: string;
  let storage: SqliteStorage;
  let http: HttpServer;
  let url: string;
  const registry = new Registry();
  const clock = new ManualClock(T0 + 3_600_000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motley-ingest-'));
    storage = new SqliteStorage({ path: dir, retentionMs: 1e15, clock, registry });
    await storage.start();
    const router = new Router();
    registerIngestRoutes(router, {
      appendable: storage,
      queryable: storage,
      maxRequestBytes: 64 * 1024,
      metrics: new IngestMetrics(registry),
      clock,
    });
    http = new HttpServer(router, silentLogger);
    [url] = await http.listen([parseListenAddress('127.0.0.1:0')]);
  });
  afterAll(async () => {
    await http.close();
    await storage.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const names = async () => storage.querier(-Infinity, Infinity).labelValues('__name__');

  it('stores remote write and exports it back as JSON lines; NaN payloads stay bit-exact', async () => {
    const res = await remoteWrite(url, [
      {
        labels: { __name__: 'rw_test', job: 'a' },
        samples: [
          [T0, 1.5],
          [T0 + 15_000, 2.25],
          [T0 + 30_000, -3],
        ],
      },
      {
        labels: { job: 'a', __name__: 'rw_stale' },
        samples: [
          [T0, 7],
          [T0 + 15_000, 'stale'],
        ],
      },
    ]);
    expect(res.status).toBe(204);
    const exported = await exportSeries(url, '{__name__=~"rw_.*"}');
    expect(exported).toEqual([
      { metric: { __name__: 'rw_stale', job: 'a' }, values: [7], timestamps: [T0] },
      {
        metric: { __name__: 'rw_test', job: 'a' },
        values: [1.5, 2.25, -3],
        timestamps: [T0, T0 + 15_000, T0 + 30_000],
      },
    ]);
    const v = storage
      .querier(0, Infinity)
      .select([new Matcher('=', '__name__', 'rw_stale')])[0]
      .samples().v;
    expect([...new Uint32Array(Float64Array.from(v).buffer).slice(2)]).toEqual([2, 0x7ff00000]);
  });

  it('refuses bad input with 400/413 and a one-line reason, storing nothing of it', async () => {
    const before = await names();
    const post = (body: Uint8Array) =>
      fetch(`${url}/api/v1/write`, { method: 'POST', body, headers: { 'Content-Encoding': 'snappy' } });
    const good = { labels: { __name__: 'must_not_exist' }, samples: [[T0, 1]] as Array<[number, number]> };
    const cases: Array<[string, Uint8Array, number, RegExp]> = [
      ['garbage snappy', Uint8Array.from([0x05, 0xff, 0xff, 0xff]), 400, /snappy/],
      [
        'huge snappy header',
        Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]),
        400,
        /announces \d+ bytes/,
      ],
      ['bad protobuf', snappyCompress(Uint8Array.from([0x0a, 0x50, 0x01])), 400, /protobuf/],
      [
        'invalid label name',
        snappyCompress(
          encodeWriteRequest([good, { labels: { __name__: 'x', 'bad-name': '1' }, samples: [[T0, 1]] }]),
        ),
        400,
        /invalid label name "bad-name"/,
      ],
      [
        'missing metric name',
        snappyCompress(encodeWriteRequest([good, { labels: { job: 'x' }, samples: [[T0, 1]] }])),
        400,
        /metric name/,
      ],
      [
        'impossible timestamp',
        snappyCompress(encodeWriteRequest([good, { labels: { __name__: 'x' }, samples: [[2 ** 52, 1]] }])),
        400,
        /timestamp/,
      ],
      ['too large', new Uint8Array(70 * 1024), 413, /exceeds the limit/],
    ];
    for (const [what, body, status, reason] of cases) {
      const res = await post(body);
      const text = await res.text();
      expect(res.status, what).toBe(status);
      const error = JSON.parse(text).error as string;
      expect(error, what).toMatch(reason);
      expect(error.includes('\n'), what).toBe(false);
    }
    expect(await names()).toEqual(before);
    const metrics = await registry.getSingleMetricAsString('motley_ingest_rejected_requests_total');
    expect(metrics).toMatch(/reason="bad_snappy"} 2/);
    expect(metrics).toMatch(/reason="invalid_series"} 3/);
    expect(metrics).toMatch(/reason="too_large"} 1/);
  });

  it('imports VictoriaMetrics JSON lines (with NaN and Inf) and exports them identically', async () => {
    const lines = [
      `{"metric":{"__name__":"imp_a","host":"h1"},"values":[1,NaN,Inf,-Inf,0.001],"timestamps":[${T0},${T0 + 1000},${T0 + 2000},${T0 + 3000},${T0 + 4000}]}`,
      `{"metric":{"__name__":"imp_b"},"values":[42],"timestamps":[${T0}]}`,
    ];
    const res = await fetch(`${url}/api/v1/import`, { method: 'POST', body: lines.join('\n') });
    expect(res.status).toBe(204);
    const res2 = await fetch(`${url}/api/v1/export?match[]=${encodeURIComponent('{__name__=~"imp_.*"}')}`);
    expect((await res2.text()).trim().split('\n')).toEqual(lines);
    const bad = await fetch(`${url}/api/v1/import`, {
      method: 'POST',
      body: `{"metric":{"__name__":"imp_c"},"values":[1],"timestamps":[${T0}]}\n{"metric":{"__name__":"imp_d"},"values":[1,2],"timestamps":[1]}`,
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/line 2: 2 values but 1 timestamps/);
    expect(await names()).not.toContain('imp_c');
  });

  it('imports exposition text at the given timestamp, or now', async () => {
    const text = '# TYPE temp gauge\ntemp{room="kitchen"} 21.5\ntemp{room="hall"} 19 1700000005000\n';
    expect(
      (await fetch(`${url}/api/v1/import/prometheus?timestamp=1700000001`, { method: 'POST', body: text }))
        .status,
    ).toBe(204);
    expect(
      (await fetch(`${url}/api/v1/import/prometheus`, { method: 'POST', body: 'now_metric 3\n' })).status,
    ).toBe(204);
    const got = await exportSeries(url, '{__name__=~"temp|now_metric"}');
    expect(got).toEqual([
      { metric: { __name__: 'now_metric' }, values: [3], timestamps: [clock.now()] },
      { metric: { __name__: 'temp', room: 'hall' }, values: [19], timestamps: [1_700_000_005_000] },
      { metric: { __name__: 'temp', room: 'kitchen' }, values: [21.5], timestamps: [1_700_000_001_000] },
    ]);
    const bad = await fetch(`${url}/api/v1/import/prometheus`, {
      method: 'POST',
      body: 'ok_line 1\nbroken{ 2\n',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/line 2/);
    expect(await names()).not.toContain('ok_line');
  });

  it('exports only the requested range and requires match[]', async () => {
    const got = await fetch(
      `${url}/api/v1/export?match[]=rw_test&start=${(T0 + 10_000) / 1000}&end=${(T0 + 20_000) / 1000}`,
    );
    expect((await got.text()).trim()).toBe(
      `{"metric":{"__name__":"rw_test","job":"a"},"values":[2.25],"timestamps":[${T0 + 15_000}]}`,
    );
    const missing = await fetch(`${url}/api/v1/export`);
    expect(missing.status).toBe(400);
  });
});
