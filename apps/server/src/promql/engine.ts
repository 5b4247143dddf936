import { compareLabelSets, type Labels } from '../model/labels.js';
import type { Queryable } from '../storage/interface.js';
import type { Expr } from './ast.js';
import { documentedType, typeOf } from './check.js';
import { QueryBudget, QueryError } from './errors.js';
import { Evaluator } from './evaluator.js';
import { parseExpr } from './parser.js';
import { presentPoints, upperBound } from './value.js';

export interface EngineOptions {
  /** Milliseconds a query may run. */
  timeout: number;
  /** Samples a query may load and produce before it fails. */
  maxSamples: number;
  /** Milliseconds an instant selector looks back for a sample. */
  lookbackDelta: number;
  /** Clock for timeouts (ms since the epoch). */
  now?: () => number;
}

export interface QueryOverrides {
  timeout?: number;
  lookbackDelta?: number;
}

export interface SeriesPoints {
  labels: Labels;
  t: Float64Array;
  v: Float64Array;
}
export type QueryResult =
  | { resultType: 'scalar'; t: number; v: number }
  | { resultType: 'string'; t: number; s: string }
  | { resultType: 'vector'; t: number; series: { labels: Labels; v: number }[] }
  | { resultType: 'matrix'; series: SeriesPoints[] };

/** Prometheus' limit on points per series in a range query. */
export const MAX_POINTS_PER_SERIES = 11_000;
const DEFAULT_EVALUATION_INTERVAL = 60_000;

/** The PromQL engine: parses, evaluates over the grid, and shapes the result. Stateless between queries. */
export class Engine {
  private readonly now: () => number;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
  }

  instantQuery(
    queryable: Queryable,
    query: string | Expr,
    time: number,
    overrides: QueryOverrides = {},
  ): QueryResult {
    const expr = typeof query === 'string' ? parseExpr(query) : query;
    const ev = this.evaluator(queryable, time, time, DEFAULT_EVALUATION_INTERVAL, overrides);
    const times = Float64Array.of(time);
    const type = typeOf(expr);
    if (type === 'matrix') {
      const data = ev.rangeData(expr, times);
      const end = data.ends[0];
      const series: SeriesPoints[] = [];
      for (const s of data.series) {
        const from = upperBound(s.t, end - data.range);
        const to = upperBound(s.t, end);
        if (to > from) series.push({ labels: s.labels, t: s.t.slice(from, to), v: s.v.slice(from, to) });
      }
      return { resultType: 'matrix', series };
    }
    const value = ev.eval(expr, times);
    if (value.kind === 'string') return { resultType: 'string', t: time, s: value.s };
    if (value.kind === 'scalar') return { resultType: 'scalar', t: time, v: value.v[0] };
    const series = value.series.filter((s) => s.has[0]).map((s) => ({ labels: s.labels, v: s.v[0] }));
    ev.opts.budget.addSamples(series.length);
    return { resultType: 'vector', t: time, series };
  }

  rangeQuery(
    queryable: Queryable,
    query: string | Expr,
    start: number,
    end: number,
    step: number,
    overrides: QueryOverrides = {},
  ): QueryResult {
    if (end < start) throw new QueryError('end timestamp must not be before start time', 'bad_data');
    if (!(step > 0)) {
      throw new QueryError(
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
        'bad_data',
      );
    }
    const count = Math.floor((end - start) / step) + 1;
    if (count > MAX_POINTS_PER_SERIES) {
      throw new QueryError(
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        'bad_data',
      );
    }
    const expr = typeof query === 'string' ? parseExpr(query) : query;
    const type = typeOf(expr);
    if (type !== 'vector' && type !== 'scalar') {
      throw new QueryError(
        `invalid expression type "${documentedType(type)}" for range query, must be Scalar or instant Vector`,
        'bad_data',
      );
    }
    const times = new Float64Array(count);
    for (let i = 0; i < count; i++) times[i] = start + i * step;
    const ev = this.evaluator(queryable, start, end, step, overrides);
    const value = ev.eval(expr, times);
    if (value.kind === 'scalar')
      return { resultType: 'matrix', series: [{ labels: [], t: times, v: value.v }] };
    if (value.kind !== 'vector')
      throw new QueryError('range query must return a vector or scalar', 'bad_data');
    const series: SeriesPoints[] = [];
    for (const s of value.series) {
      const points = presentPoints(s, times);
      if (!points) continue;
      ev.opts.budget.addSamples(points.t.length);
      series.push({ labels: s.labels, t: points.t, v: points.v });
    }
    series.sort((a, b) => compareLabelSets(a.labels, b.labels));
    return { resultType: 'matrix', series };
  }

  private evaluator(
    queryable: Queryable,
    start: number,
    end: number,
    interval: number,
    o: QueryOverrides,
  ): Evaluator {
    const timeout =
      o.timeout !== undefined ? Math.min(o.timeout, this.options.timeout) : this.options.timeout;
    return new Evaluator({
      queryable,
      start,
      end,
      interval,
      lookback: o.lookbackDelta || this.options.lookbackDelta,
      budget: new QueryBudget(this.options.maxSamples, this.now() + timeout, this.now),
    });
  }
}
