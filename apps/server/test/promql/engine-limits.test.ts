import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../src/model/labels.js';
import { Engine } from '../../src/promql/engine.js';
import { QueryError } from '../../src/promql/errors.js';
import { toHttpError } from '../../src/web/api/v1/query-handlers.js';
import type { HttpError } from '../../src/web/http-util.js';
import { FixtureQueryable } from './fixture-queryable.js';

function manySeries(n: number): FixtureQueryable {
  const q = new FixtureQueryable();
  for (let i = 0; i < n; i++) {
    q.add(labelsFromRecord({ __name__: 'x', i: String(i) }), [
      { t: 1000, v: i },
      { t: 16_000, v: i + 1 },
    ]);
  }
  return q;
}

describe('storage reads', () => {
  it('reads a selector written twice once, and each distinct selector once', () => {
    const data = manySeries(3);
    const calls: string[] = [];
    const counting: Queryable = {
      querier(mint, maxt) {
        const q = data.querier(mint, maxt);
        return {
          ...q,
          select: (m, h) => {
            calls.push(m.map(String).join(','));
            return q.select(m, h);
          },
        };
      },
    };
    const engine = new Engine({ timeout: 60_000, maxSamples: 1e6, lookbackDelta: 300_000 });
    const r = engine.rangeQuery(counting, 'x / x + rate(x[1m]) * 0 + sum(x) - sum(x)', 0, 60_000, 15_000);
    expect(r.resultType).toBe('matrix');
    expect(calls).toHaveLength(2);
  });
});

describe('engine limits', () => {
  it('aborts a query that runs past --query.timeout, read from the injected clock', () => {
    let now = 0;
    // Every clock read moves time by one second; the budget reads the clock every 64 checks.
    const engine = new Engine({
      timeout: 5_000,
      maxSamples: 1e9,
      lookbackDelta: 300_000,
      now: () => (now += 1000),
    });
    const data = manySeries(500);
    let error: unknown;
    try {
      engine.instantQuery(data, 'sum(x)', 20_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toBe('query timed out in query execution');
    const http = toHttpError(error) as HttpError;
    expect([http.status, http.errorType]).toEqual([503, 'timeout']);
  });

  it('the timeout parameter can only shorten the configured timeout', () => {
    let now = 0;
    const engine = new Engine({
      timeout: 1e12,
      maxSamples: 1e9,
      lookbackDelta: 300_000,
      now: () => (now += 1000),
    });
    const data = manySeries(500);
    expect(engine.instantQuery(data, 'sum(x)', 20_000).resultType).toBe('vector');
    expect(() => engine.instantQuery(data, 'sum(x)', 20_000, { timeout: 1000 })).toThrow('query timed out');
  });

  it('counts loaded samples against --query.max-samples', () => {
    const engine = new Engine({ timeout: 60_000, maxSamples: 999, lookbackDelta: 300_000 });
    const data = manySeries(500);
    expect(() => engine.instantQuery(data, 'x', 20_000)).toThrow(
      'query processing would load too many samples',
    );
    const roomy = new Engine({ timeout: 60_000, maxSamples: 2_000, lookbackDelta: 300_000 });
    expect(roomy.instantQuery(data, 'count(x)', 20_000)).toMatchObject({
      resultType: 'vector',
      series: [{ v: 500 }],
    });
  });

  it('applies the lookback_delta override', () => {
    const engine = new Engine({ timeout: 60_000, maxSamples: 1e6, lookbackDelta: 300_000 });
    const data = manySeries(1);
    expect(engine.instantQuery(data, 'x', 100_000)).toMatchObject({ series: [{ v: 1 }] });
    expect(engine.instantQuery(data, 'x', 100_000, { lookbackDelta: 60_000 })).toMatchObject({ series: [] });
  });
});
