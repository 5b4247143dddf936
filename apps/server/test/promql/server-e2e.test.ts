import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteWrite, type ServerProcess, startServerProcess } from '../ingest/helpers.js';

/**
 * The whole path a user sees: `motley server` as a process on SQLite, data arriving by remote
 * write (a stale marker included), answers over HTTP.
 */
describe('queries against the running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'promql-e2e-'));
  let server: ServerProcess;
  const T0 = 1_700_000_000_000;

  beforeAll(async () => {
    server = await startServerProcess(join(dir, 'data'));
    const res = await remoteWrite(server.url, [
      {
        labels: { __name__: 'e2e_temperature', job: 'e2e', room: 'kitchen' },
        samples: [
          [T0, 20],
          [T0 + 15_000, 21],
          [T0 + 30_000, 'stale'],
          [T0 + 60_000, 23],
        ],
      },
      {
        labels: { __name__: 'e2e_requests_total', job: 'e2e' },
        samples: Array.from({ length: 21 }, (_, i): [number, number] => [T0 + i * 15_000, i * 30]),
      },
    ]);
    expect(res.status).toBeLessThan(300);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = async (params: Record<string, string>, path = '/api/v1/query') => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', body: new URLSearchParams(params) });
    return (await res.json()) as { status: string; data: { resultType: string; result: unknown[] } };
  };

  it('ends a series at its stale marker and resumes at the next sample', async () => {
    const at = (ms: number) => query({ query: 'e2e_temperature', time: String((T0 + ms) / 1000) });
    expect((await at(20_000)).data.result).toEqual([
      {
        metric: { __name__: 'e2e_temperature', job: 'e2e', room: 'kitchen' },
        value: [(T0 + 20_000) / 1000, '21'],
      },
    ]);
    expect((await at(45_000)).data.result).toEqual([]);
    expect((await at(61_000)).data.result).toHaveLength(1);
  });

  it('answers a range query over the SQLite storage', async () => {
    const r = await query(
      {
        query: 'rate(e2e_requests_total[1m])',
        start: String((T0 + 120_000) / 1000),
        end: String((T0 + 300_000) / 1000),
        step: '60',
      },
      '/api/v1/query_range',
    );
    expect(r.status).toBe('success');
    const [series] = r.data.result as { metric: unknown; values: [number, string][] }[];
    expect(series.metric).toEqual({ job: 'e2e' });
    // 30 per 15 s is 2 per second once extrapolated to the start of the left-open window.
    expect(series.values).toHaveLength(4);
    for (const [, v] of series.values) expect(Number(v)).toBeCloseTo(2, 9);
  });
});
