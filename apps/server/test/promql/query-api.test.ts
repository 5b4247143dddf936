import { ManualClock, silentLogger } from '@motley/exporter-kit';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../src/model/labels.js';
import { Engine } from '../../src/promql/engine.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { registerQueryRoutes } from '../../src/web/api/v1/query-routes.js';
import { HttpServer } from '../../src/web/http-server.js';
import { Router } from '../../src/web/router.js';
import { PROMETHEUS_API_VERSION, registerStatusRoutes } from '../../src/web/status-routes.js';

const T0 = 1_700_000_000_000;

/** A real HTTP server with the query routes over a MemoryStorage holding 30 minutes of data. */
async function startApi(maxSamples = 1_000_000) {
  const storage = new MemoryStorage();
  const app = storage.appender();
  for (const instance of ['a:9100', 'b:9100']) {
    for (let i = 0; i <= 120; i++) {
      const t = T0 + i * 15_000 + 3;
      app.append(0, labelsFromRecord({ __name__: 'up', job: 'node', instance }), t, 1);
      app.append(
        0,
        labelsFromRecord({ __name__: 'node_cpu_seconds_total', job: 'node', instance, mode: 'idle' }),
        t,
        i * 10,
      );
    }
  }
  app.append(0, labelsFromRecord({ __name__: 'other_metric', job: 'other' }), T0 + 5, 7);
  await app.commit();
  const clock = new ManualClock(T0 + 30 * 60_000);
  const router = new Router();
  registerStatusRoutes(router, { registry: new Registry(), version: '0.1.0' });
  const engine = new Engine({ timeout: 10_000, maxSamples, lookbackDelta: 300_000, now: () => clock.now() });
  registerQueryRoutes(router, { queryable: storage, engine, now: () => clock.now() });
  const http = new HttpServer(router, silentLogger);
  const [base] = await http.listen([{ host: '127.0.0.1', port: 0, text: '127.0.0.1:0' } as never]);
  return { base, http };
}

describe('query API', () => {
  let base = '';
  let close: () => Promise<void>;
  beforeAll(async () => {
    const api = await startApi();
    base = api.base;
    close = () => api.http.close();
  });
  afterAll(() => close());

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers the calls Grafana makes, in order', async () => {
    // Save & test.
    expect(await get('/api/v1/query?query=1%2B1&time=4')).toEqual({
      status: 200,
      body: { status: 'success', data: { resultType: 'scalar', result: [4, '2'] } },
    });
    const build = await get('/api/v1/status/buildinfo');
    expect(build.body).toMatchObject({
      status: 'success',
      data: { version: PROMETHEUS_API_VERSION, motleyVersion: '0.1.0' },
    });
    // Dashboard load.
    expect((await get('/api/v1/rules')).body).toEqual({ status: 'success', data: { groups: [] } });
    const ex = await get(`/api/v1/query_exemplars?query=up&start=${T0}&end=${T0 + 3_600_000}`);
    expect(ex.body).toEqual({ status: 'success', data: [] });
    // Label browser.
    const labels = await get(`/api/v1/labels?start=${T0 / 1000}&end=${T0 / 1000 + 3600}`);
    expect(labels.body.data).toEqual(['__name__', 'instance', 'job', 'mode']);
    const names = await get('/api/v1/label/__name__/values?match[]=%7Bjob%3D%22node%22%7D&limit=1');
    expect(names.body).toEqual({
      status: 'success',
      data: ['node_cpu_seconds_total'],
      warnings: ['results truncated due to limit'],
    });
    // Template variable label_values(up, instance).
    const instances = await get('/api/v1/label/instance/values?match[]=up');
    expect(instances.body.data).toEqual(['a:9100', 'b:9100']);
    const series = await get(
      `/api/v1/series?match[]=up%7Binstance%3D%22a%3A9100%22%7D&start=${T0 / 1000}&end=292277025-08-18T07:12:54.999999999Z`,
    );
    expect(series.body.data).toEqual([{ __name__: 'up', instance: 'a:9100', job: 'node' }]);
    // Range panel, POST form body, RFC 3339 times.
    const panel = await post('/api/v1/query_range', {
      query: 'sum by (instance) (rate(node_cpu_seconds_total[$__rate_interval]))'.replace(
        '$__rate_interval',
        '1m',
      ),
      start: new Date(T0 + 600_000).toISOString(),
      end: new Date(T0 + 720_000).toISOString(),
      step: '60',
    });
    expect(panel.status).toBe(200);
    const data = panel.body.data as {
      resultType: string;
      result: { metric: unknown; values: [number, string][] }[];
    };
    expect(data.resultType).toBe('matrix');
    expect(data.result.map((r) => r.metric)).toEqual([{ instance: 'a:9100' }, { instance: 'b:9100' }]);
    // 10 per 15 s is 2/3 per second; samples sit 3 ms after the grid, extrapolation keeps it exact.
    for (const [t, v] of data.result[0].values) {
      expect(Number(v)).toBeCloseTo(2 / 3, 9);
      expect([T0 / 1000 + 600, T0 / 1000 + 660, T0 / 1000 + 720]).toContain(t);
    }
  });

  it('formats values and timestamps as Prometheus does', async () => {
    // Values as the Debian prometheus 2.42 writes them (recorded answers).
    for (const [q, want] of [
      ['vector(1e21)', '1e+21'],
      ['vector(0.0000001)', '1e-07'],
      ['vector(0.00001)', '0.00001'],
      ['vector(1.5e300)', '1.5e+300'],
      ['vector(-2.5e-10)', '-2.5e-10'],
      ['vector(0.1+0.2)', '0.30000000000000004'],
      ['vector(123456789012345680000)', '123456789012345680000'],
    ]) {
      const r = await get(`/api/v1/query?query=${encodeURIComponent(q)}&time=${(T0 + 1500) / 1000}`);
      expect(r.body.data).toEqual({
        resultType: 'vector',
        result: [{ metric: {}, value: [1700000001.5, want] }],
      });
    }
    const nan = await get('/api/v1/query?query=0/0&time=1');
    expect(nan.body.data).toEqual({ resultType: 'scalar', result: [1, 'NaN'] });
    const inf = await get('/api/v1/query?query=-1/0&time=1.001');
    expect(inf.body.data).toEqual({ resultType: 'scalar', result: [1.001, '-Inf'] });
    const negZero = await get('/api/v1/query?query=-0*1&time=1');
    expect(negZero.body.data).toEqual({ resultType: 'scalar', result: [1, '-0'] });
    const str = await get('/api/v1/query?query=%22hi%22&time=2');
    expect(str.body.data).toEqual({ resultType: 'string', result: [2, 'hi'] });
  });

  it('returns a range vector for an instant matrix selector and defaults time to now', async () => {
    const r = await get('/api/v1/query?query=up%7Binstance%3D%22a%3A9100%22%7D%5B1m%5D');
    const data = r.body.data as { resultType: string; result: { values: unknown[] }[] };
    expect(data.resultType).toBe('matrix');
    expect(data.result[0].values).toHaveLength(4);
  });

  it('cuts results to the limit parameter with a warning', async () => {
    const r = await get(`/api/v1/query?query=up&limit=1&time=${T0 / 1000 + 60}`);
    expect(r.body.warnings).toEqual(['results truncated due to limit']);
    expect((r.body.data as { result: unknown[] }).result).toHaveLength(1);
    const all = await get(`/api/v1/query?query=up&limit=5&time=${T0 / 1000 + 60}`);
    expect(all.body.warnings).toBeUndefined();
    expect((all.body.data as { result: unknown[] }).result).toHaveLength(2);
  });

  it('has a landing page linking the targets, a query and the metrics', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    for (const href of ['/api/v1/targets', '/api/v1/query?query=up', '/metrics'])
      expect(html).toContain(`href="${href}"`);
  });

  it('answers 400 to a broken %-escape in a path segment and keeps serving', async () => {
    const r = await get('/api/v1/label/%ZZ/values');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect((await get('/api/v1/label/job/values')).status).toBe(200);
  });

  it('formats and parses queries', async () => {
    const f = await get('/api/v1/format_query?query=sum(rate(x%5B5m%5D))by(job)');
    expect(f.body).toEqual({ status: 'success', data: 'sum by (job) (rate(x[5m]))' });
    const p = await post('/api/v1/parse_query', { query: 'x > bool 1' });
    expect(p.body.data).toMatchObject({
      type: 'binaryExpr',
      op: '>',
      bool: true,
      rhs: { type: 'numberLiteral', val: '1' },
    });
  });

  it.each([
    [
      '/api/v1/query?query=sum(',
      400,
      'bad_data',
      'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    ],
    [
      '/api/v1/query?query=',
      400,
      'bad_data',
      'invalid parameter "query": 1:1: parse error: no expression found in input',
    ],
    [
      '/api/v1/query?query=rate(up)',
      400,
      'bad_data',
      'expected type range vector in call to function "rate", got instant vector',
    ],
    [
      '/api/v1/query?query=up&time=yesterday',
      400,
      'bad_data',
      'invalid parameter "time": cannot parse "yesterday" to a valid timestamp',
    ],
    [
      '/api/v1/query_range?query=up&start=10&end=0&step=1',
      400,
      'bad_data',
      'end timestamp must not be before start time',
    ],
    [
      '/api/v1/query_range?query=up&start=0&end=10&step=0',
      400,
      'bad_data',
      'zero or negative query resolution step',
    ],
    [
      '/api/v1/query_range?query=up&start=0&end=100000&step=0.001',
      400,
      'bad_data',
      'exceeded maximum resolution of 11,000 points',
    ],
    ['/api/v1/query_range?query=up&start=0&end=10', 400, 'bad_data', 'invalid parameter "step"'],
    [
      '/api/v1/query_range?query=up%5B5m%5D&start=0&end=10&step=1',
      400,
      'bad_data',
      'invalid expression type "range vector" for range query',
    ],
    ['/api/v1/query?query=up%20%2B%20on()%20up', 422, 'execution', 'many-to-many matching not allowed'],
    ['/api/v1/series', 400, 'bad_data', 'no match[] parameter provided'],
    ['/api/v1/series?match[]=rate(up%5B1m%5D)', 400, 'bad_data', 'invalid parameter "match[]"'],
    ['/api/v1/label/not-a-label/values', 400, 'bad_data', 'invalid label name'],
  ])('%s fails with %i %s', async (path, status, errorType, message) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.body.status).toBe('error');
    expect(r.body.errorType).toBe(errorType);
    expect(String(r.body.error)).toContain(message);
    // The server keeps serving after bad input.
    expect((await get('/api/v1/query?query=1&time=1')).status).toBe(200);
  });
});

describe('query limits', () => {
  it('refuses a query that would hold more than --query.max-samples', async () => {
    const api = await startApi(100);
    try {
      const res = await fetch(`${api.base}/api/v1/query?query=count_over_time(up%5B30m%5D)`);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({
        status: 'error',
        errorType: 'execution',
        error: 'query processing would load too many samples into memory in query execution',
      });
      const ok = await fetch(`${api.base}/api/v1/query?query=up`);
      expect(ok.status).toBe(200);
    } finally {
      await api.http.close();
    }
  });
});
