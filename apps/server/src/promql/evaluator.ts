import { isStaleNaN } from '../model/stale-nan.js';
import type { Queryable } from '../storage/interface.js';
import { aggregate } from './aggregations.js';
import type { AtModifier, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.js';
import { binaryOp } from './binary-ops.js';
import { type QueryBudget, QueryError } from './errors.js';
import { callFunction } from './functions/call.js';
import { merged } from './functions/merge.js';
import { dropMetricName } from './labels-util.js';
import {
  presentPoints,
  type RangeData,
  type RawSeries,
  type StepSeries,
  type StepValue,
  type VectorValue,
} from './value.js';

export interface EvalOptions {
  queryable: Queryable;
  /** The query's start and end (ms), for `@ start()` / `@ end()`. */
  start: number;
  end: number;
  /** Default subquery step (ms): the range query's step, else 1m. */
  interval: number;
  lookback: number;
  budget: QueryBudget;
}

/**
 * Evaluates an expression over a whole grid of timestamps at once. Every AST node is evaluated
 * exactly once per query, so each selector reads the storage once.
 */
export class Evaluator {
  /** Storage reads of this query, so a selector written twice (`a / a`) is read once. */
  private readonly reads = new Map<string, RawSeries[]>();

  constructor(readonly opts: EvalOptions) {}

  /** The series matching the matchers with their samples in [mint, maxt], read once per query. */
  private read(
    matchers: VectorSelector['matchers'],
    mint: number,
    maxt: number,
    latestOnly = false,
  ): RawSeries[] {
    const key = `${mint}\n${maxt}\n${latestOnly}\n${matchers.map(String).join('\n')}`;
    const cached = this.reads.get(key);
    if (cached) return cached;
    const querier = this.opts.queryable.querier(mint, maxt);
    const out: RawSeries[] = [];
    try {
      const selected = querier.select(matchers, { latestOnly });
      // Indexed loops over series: these run once per selector over up to all series, mostly
      // before they are optimized, where for-of allocates an iterator result per step.
      for (let i = 0; i < selected.length; i++) {
        const s = selected[i];
        const { t, v } = s.samples();
        out.push({ labels: s.labels, t, v });
      }
    } finally {
      querier.close();
    }
    this.reads.set(key, out);
    return out;
  }

  eval(e: Expr, times: Float64Array): StepValue {
    this.opts.budget.checkTime();
    switch (e.type) {
      case 'number':
        return { kind: 'scalar', v: new Float64Array(times.length).fill(e.value) };
      case 'string':
        return { kind: 'string', s: e.value };
      case 'paren':
        return this.eval(e.expr, times);
      case 'vectorSelector':
        return this.selectVector(e, times, false);
      case 'matrixSelector':
      case 'subquery':
        throw new QueryError('a range vector cannot be evaluated as an instant vector here', 'bad_data');
      case 'unary': {
        const inner = this.eval(e.expr, times);
        if (e.op === '+') return inner;
        if (inner.kind === 'scalar') return { kind: 'scalar', v: inner.v.map((x) => -x) };
        if (inner.kind === 'vector') {
          const negated = inner.series.map((s) => ({
            labels: dropMetricName(s.labels),
            v: s.v.map((x) => -x),
            has: s.has,
          }));
          // Without __name__ two series may become one: refused at a shared step, as in Prometheus.
          return merged(negated, times.length);
        }
        return inner;
      }
      case 'call':
        return callFunction(this, e, times);
      case 'aggregate':
        return aggregate(this, e, times);
      case 'binary':
        return binaryOp(this, e, times);
    }
  }

  /** Evaluates to an instant vector (the type checker guarantees the kind). */
  evalVector(e: Expr, times: Float64Array): VectorValue {
    const v = this.eval(e, times);
    if (v.kind !== 'vector') throw new QueryError(`expected instant vector, got ${v.kind}`);
    return v;
  }

  evalScalar(e: Expr, times: Float64Array): Float64Array {
    const v = this.eval(e, times);
    if (v.kind !== 'scalar') throw new QueryError(`expected scalar, got ${v.kind}`);
    return v.v;
  }

  /** Per-step times a selector or subquery reads at: the @ time or the step, minus the offset. */
  private effectiveTimes(at: AtModifier | undefined, offset: number, times: Float64Array): Float64Array {
    const fixed =
      at === undefined
        ? undefined
        : at.kind === 'time'
          ? at.t
          : at.kind === 'start'
            ? this.opts.start
            : this.opts.end;
    const out = new Float64Array(times.length);
    for (let i = 0; i < times.length; i++) out[i] = (fixed ?? times[i]) - offset;
    return out;
  }

  /**
   * An instant vector selector: per step the latest sample in (t - lookback, t], unless it is a
   * stale marker. With `asTimestamps` the value is the sample's timestamp in seconds (timestamp()).
   */
  selectVector(e: VectorSelector, times: Float64Array, asTimestamps: boolean): VectorValue {
    const ts = this.effectiveTimes(e.at, e.offset, times);
    const n = ts.length;
    if (n === 0) return { kind: 'vector', series: [] };
    const lookback = this.opts.lookback;
    const out: StepSeries[] = [];
    // At a single time only each series' newest sample in the window counts.
    const raw = this.read(e.matchers, ts[0] - lookback + 1, ts[n - 1], n === 1);
    // One pair of arrays for all series, each series a view: two small typed arrays per series
    // (each with its own buffer object) cost more than the values they hold.
    const values = new Float64Array(raw.length * n);
    const present = new Uint8Array(raw.length * n);
    let used = 0;
    for (let r = 0; r < raw.length; r++) {
      const { t, v, labels } = raw[r];
      let j = 0;
      let points = 0;
      for (let i = 0; i < n; i++) {
        const at = ts[i];
        while (j < t.length && t[j] <= at) j++;
        const k = j - 1;
        if (k >= 0 && t[k] > at - lookback && !isStaleNaN(v[k])) {
          values[used + i] = asTimestamps ? t[k] / 1000 : v[k];
          present[used + i] = 1;
          points++;
        }
      }
      // Like Prometheus, count the points the selector holds, series by series.
      this.opts.budget.addSamples(points);
      if (points === 0) continue;
      out.push({ labels, v: values.subarray(used, used + n), has: present.subarray(used, used + n) });
      used += n;
    }
    return { kind: 'vector', series: out };
  }

  /** The samples a range vector argument holds, with each step's window end. */
  rangeData(e: Expr, times: Float64Array): RangeData {
    if (e.type === 'matrixSelector') return this.matrixData(e, times);
    if (e.type === 'subquery') return this.subqueryData(e, times);
    if (e.type === 'paren') return this.rangeData(e.expr, times);
    throw new QueryError(`expected range vector, got ${e.type}`, 'bad_data');
  }

  private matrixData(e: MatrixSelector, times: Float64Array): RangeData {
    const ends = this.effectiveTimes(e.vector.at, e.vector.offset, times);
    const n = ends.length;
    const series: RawSeries[] = [];
    if (n === 0) return { series, ends, range: e.range };
    const raw = this.read(e.vector.matchers, ends[0] - e.range + 1, ends[n - 1]);
    for (let r = 0; r < raw.length; r++) {
      const s = raw[r];
      this.opts.budget.addSamples(s.t.length);
      const clean = withoutStaleMarkers(s.t, s.v);
      if (clean.t.length > 0) series.push({ labels: s.labels, t: clean.t, v: clean.v });
    }
    return { series, ends, range: e.range };
  }

  /** Evaluates the inner expression on a grid aligned to multiples of the subquery step. */
  private subqueryData(e: SubqueryExpr, times: Float64Array): RangeData {
    const ends = this.effectiveTimes(e.at, e.offset, times);
    const n = ends.length;
    if (n === 0) return { series: [], ends, range: e.range };
    const step = e.step || this.opts.interval;
    const lo = ends[0] - e.range;
    let first = Math.floor(lo / step) * step;
    if (first <= lo) first += step;
    const last = ends[n - 1];
    const count = last < first ? 0 : Math.floor((last - first) / step) + 1;
    this.opts.budget.checkGrid(count);
    const grid = new Float64Array(count);
    for (let i = 0; i < count; i++) grid[i] = first + i * step;
    const inner = this.evalVector(e.expr, grid);
    const series: RawSeries[] = [];
    for (const s of inner.series) {
      const points = presentPoints(s, grid);
      if (!points) continue;
      this.opts.budget.addSamples(points.t.length);
      series.push({ labels: s.labels, t: points.t, v: points.v });
    }
    return { series, ends, range: e.range };
  }
}

/** Range vectors never contain stale markers: Prometheus drops them when it loads a window. */
function withoutStaleMarkers(t: Float64Array, v: Float64Array): { t: Float64Array; v: Float64Array } {
  let stale = 0;
  for (let i = 0; i < v.length; i++) if (isStaleNaN(v[i])) stale++;
  if (stale === 0) return { t, v };
  const nt = new Float64Array(t.length - stale);
  const nv = new Float64Array(t.length - stale);
  let k = 0;
  for (let i = 0; i < v.length; i++) {
    if (isStaleNaN(v[i])) continue;
    nt[k] = t[i];
    nv[k++] = v[i];
  }
  return { t: nt, v: nv };
}
