import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../../src/model/labels.js';
import { Engine } from '../../src/promql/engine.js';
import { QueryError } from '../../src/promql/errors.js';
import { ParseError } from '../../src/promql/parser.js';
import { FixtureQueryable } from './fixture-queryable.js';

/** Odd and hostile queries: each must give an answer or a query/parse error, never another exception. */
const queries = [
  'x[0s]',
  'rate(x[0s])',
  'x[5m:0s]',
  'max_over_time(x[5m:1ms])',
  'x offset 1y @ 9e15',
  'x @ Inf',
  'x @ -1e18',
  'topk(1e300, x)',
  'topk(-1, x)',
  'topk(NaN, x)',
  'limitk(Inf, x)',
  'limit_ratio(NaN, x)',
  'quantile(NaN, x)',
  'round(x, 0)',
  'histogram_quantile(NaN, x)',
  'histogram_fraction(1, 0, x)',
  'label_replace(x, "__name__", "", "a", ".*")',
  'label_replace(x, "__name__", "$1", "a", "(.*)")',
  'vector(1)[5m:1m]',
  '1[5m:1m]',
  'sum by (__name__) (x)',
  'count_values("__name__", x)',
  'count_values("", x)',
  'x / on(a) group_left x',
  'x == bool x',
  '{__name__=~".+"}',
  '{__name__=~"(a|"}',
  'x{a=~"["}',
  'sort_by_label(x, "nope")',
  'clamp(x, NaN, 1)',
  'predict_linear(x[5m], NaN)',
  'day_of_month(x * Inf)',
  'hour(vector(NaN))',
  'absent(x offset 100y)',
  'scalar(vector(1)) + x',
  '((((((((((x))))))))))',
  '-(-(-x))',
  'x^x^x^x',
  '"\\xZZ"',
  'x{a="\\u00"}',
  'x offset 1e500s',
  'rate(x[1e30y])',
  'sum(',
  ')',
  'x +',
  '@ 1',
  'x @ start(',
  'foo bar',
  '\u0000',
  'x[5m] @ end() offset -1h',
  'x[5m+1m]',
  'info(x)',
  'rate(x[step()])',
  'x + fill(0) x',
];

describe('robustness', () => {
  const data = new FixtureQueryable();
  for (const a of ['1', '2']) {
    data.add(labelsFromRecord({ __name__: 'x', a }), [
      { t: 0, v: 1 },
      { t: 60_000, v: 2 },
      { t: 120_000, v: Number.NaN },
    ]);
  }
  const engine = new Engine({ timeout: 10_000, maxSamples: 1_000_000, lookbackDelta: 300_000 });

  it.each(queries)('%j answers or fails cleanly', (q) => {
    for (const run of [
      () => engine.instantQuery(data, q, 90_000),
      () => engine.rangeQuery(data, q, 0, 600_000, 15_000),
    ]) {
      try {
        run();
      } catch (e) {
        if (!(e instanceof QueryError || e instanceof ParseError)) throw e;
        expect((e as Error).message).not.toMatch(/undefined|null|\[object/);
      }
    }
  });

  it('refuses a subquery grid larger than the sample budget instead of allocating it', () => {
    expect(() => engine.instantQuery(data, 'max_over_time(x[1y:1ms])', 90_000)).toThrow(
      'query processing would load too many samples',
    );
  });
});
