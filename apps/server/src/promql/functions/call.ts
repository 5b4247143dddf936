import { type Labels, labelsKey } from '../../model/labels.js';
import type { Call, Expr } from '../ast.js';
import { QueryError } from '../errors.js';
import type { Evaluator } from '../evaluator.js';
import { dropMetricName } from '../labels-util.js';
import { compareNaNLast } from '../math-util.js';
import { newStepSeries, type StepSeries, type StepValue, type VectorValue } from '../value.js';
import { absentResult, presentOverTime } from './absent.js';
import { classicHistogram } from './bucket-series.js';
import { bucketFraction, bucketQuantile } from './histogram.js';
import { dateFunction, elementFunction, roundTo } from './instant-functions.js';
import { compareByLabelValues, labelJoin, labelReplace } from './label-functions.js';
import { merged } from './merge.js';
import {
  KEEPS_METRIC_NAME,
  type RangeFunction,
  rangeFunction,
  type SeriesScratch,
} from './range-functions.js';

/** Evaluates a function call over the grid. */
export function callFunction(ev: Evaluator, e: Call, times: Float64Array): StepValue {
  const n = times.length;
  const name = e.func;
  const rangeFn = rangeFunction(name);
  if (rangeFn) return rangeCall(ev, e, times, rangeFn);
  const element = elementFunction(name);
  if (element) return mapValues(ev.evalVector(e.args[0], times), element);
  const datePart = dateFunction(name);
  if (datePart) {
    if (e.args.length === 0) {
      const s = newStepSeries([], n);
      for (let i = 0; i < n; i++) {
        s.v[i] = datePart(times[i] / 1000);
        s.has[i] = 1;
      }
      return { kind: 'vector', series: [s] };
    }
    return mapValues(ev.evalVector(e.args[0], times), datePart);
  }
  switch (name) {
    case 'time':
      return { kind: 'scalar', v: times.map((t) => t / 1000) };
    case 'pi':
      return { kind: 'scalar', v: new Float64Array(n).fill(Math.PI) };
    case 'vector': {
      const v = ev.evalScalar(e.args[0], times);
      return { kind: 'vector', series: [{ labels: [], v, has: new Uint8Array(n).fill(1) }] };
    }
    case 'scalar': {
      const input = ev.evalVector(e.args[0], times);
      const v = new Float64Array(n).fill(Number.NaN);
      for (let i = 0; i < n; i++) {
        let found = 0;
        for (const s of input.series) {
          if (s.has[i]) {
            found++;
            v[i] = s.v[i];
          }
        }
        if (found !== 1) v[i] = Number.NaN;
      }
      return { kind: 'scalar', v };
    }
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max': {
      const input = ev.evalVector(e.args[0], times);
      const a = ev.evalScalar(e.args[1], times);
      const b = name === 'clamp' ? ev.evalScalar(e.args[2], times) : undefined;
      return mapValuesAt(input, (x, i) => {
        if (name === 'clamp_min') return Math.max(a[i], x);
        if (name === 'clamp_max') return Math.min(a[i], x);
        if (b![i] < a[i]) return undefined;
        return Math.max(a[i], Math.min(b![i], x));
      });
    }
    case 'round': {
      const input = ev.evalVector(e.args[0], times);
      const to = e.args.length > 1 ? ev.evalScalar(e.args[1], times) : new Float64Array(n).fill(1);
      return mapValuesAt(input, (x, i) => roundTo(x, to[i]));
    }
    case 'timestamp': {
      const arg = unwrapParens(e.args[0]);
      if (arg.type === 'vectorSelector') return withoutNames(ev.selectVector(arg, times, true), n);
      return mapValuesAt(ev.evalVector(arg, times), (_x, i) => times[i] / 1000);
    }
    case 'absent': {
      const input = ev.evalVector(e.args[0], times);
      return absentResult(e.args[0], (i) => input.series.some((s) => s.has[i] === 1), n);
    }
    case 'absent_over_time': {
      const data = ev.rangeData(e.args[0], times);
      const present = presentOverTime(data.series, data.ends, data.range, n);
      return absentResult(e.args[0], (i) => present[i] === 1, n);
    }
    case 'sort':
    case 'sort_desc': {
      const input = ev.evalVector(e.args[0], times);
      const desc = name === 'sort_desc';
      const at = (s: StepSeries) => (s.has[0] ? s.v[0] : Number.NaN);
      input.series.sort((a, b) => compareNaNLast(at(a), at(b), desc));
      return input;
    }
    case 'sort_by_label':
    case 'sort_by_label_desc': {
      const input = ev.evalVector(e.args[0], times);
      const names = e.args.slice(1).map((a) => evalString(ev, a, times));
      const sign = name === 'sort_by_label_desc' ? -1 : 1;
      input.series.sort(
        (a, b) =>
          sign * (compareByLabelValues(a.labels, b.labels, names) || compareLabelSets(a.labels, b.labels)),
      );
      return input;
    }
    case 'label_replace': {
      const input = ev.evalVector(e.args[0], times);
      const [dst, repl, src, regex] = e.args.slice(1).map((a) => evalString(ev, a, times));
      return merged(labelReplace(input.series, dst, repl, src, regex), n);
    }
    case 'label_join': {
      const input = ev.evalVector(e.args[0], times);
      const [dst, sep, ...srcs] = e.args.slice(1).map((a) => evalString(ev, a, times));
      return merged(labelJoin(input.series, dst, sep, srcs), n);
    }
    case 'histogram_quantile': {
      const q = ev.evalScalar(e.args[0], times);
      return classicHistogram(ev.evalVector(e.args[1], times), n, (buckets, i) =>
        bucketQuantile(q[i], buckets),
      );
    }
    case 'histogram_fraction': {
      const lo = ev.evalScalar(e.args[0], times);
      const hi = ev.evalScalar(e.args[1], times);
      return classicHistogram(ev.evalVector(e.args[2], times), n, (buckets, i) =>
        bucketFraction(lo[i], hi[i], buckets),
      );
    }
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_avg':
    case 'histogram_stddev':
    case 'histogram_stdvar':
      // Native histograms are not stored; over float samples these functions return nothing.
      ev.evalVector(e.args[0], times);
      return { kind: 'vector', series: [] };
    default:
      throw new QueryError(`function "${name}" is not implemented`, 'bad_data');
  }
}

function unwrapParens(e: Expr): Expr {
  return e.type === 'paren' ? unwrapParens(e.expr) : e;
}

function evalString(ev: Evaluator, e: Expr, times: Float64Array): string {
  const v = ev.eval(e, times);
  if (v.kind !== 'string') throw new QueryError('expected a string argument');
  return v.s;
}

function compareLabelSets(a: Labels, b: Labels): number {
  const x = labelsKey(a);
  const y = labelsKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function mapValues(input: VectorValue, f: (x: number) => number): VectorValue {
  return mapValuesAt(input, (x) => f(x));
}

/** Applies f to every present sample, drops __name__, and rejects resulting duplicate label sets. */
function mapValuesAt(input: VectorValue, f: (x: number, i: number) => number | undefined): VectorValue {
  const out: StepSeries[] = [];
  for (const s of input.series) {
    const n = s.v.length;
    const r = newStepSeries(dropMetricName(s.labels), n);
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const v = f(s.v[i], i);
      if (v === undefined) continue;
      r.v[i] = v;
      r.has[i] = 1;
    }
    out.push(r);
  }
  return merged(out, input.series[0]?.v.length ?? 0);
}

function withoutNames(input: VectorValue, n: number): VectorValue {
  return merged(
    input.series.map((s) => ({ ...s, labels: dropMetricName(s.labels) })),
    n,
  );
}

function rangeCall(ev: Evaluator, e: Call, times: Float64Array, fn: RangeFunction): VectorValue {
  const n = times.length;
  const rangeIndex = e.func === 'quantile_over_time' ? 1 : 0;
  const scalarArgs = e.args.filter((_a, i) => i !== rangeIndex).map((a) => ev.evalScalar(a, times));
  const data = ev.rangeData(e.args[rangeIndex], times);
  const keepName = KEEPS_METRIC_NAME.has(e.func);
  const out: StepSeries[] = [];
  const params: number[] = new Array(scalarArgs.length);
  for (const s of data.series) {
    const r = newStepSeries(keepName ? s.labels : dropMetricName(s.labels), n);
    let lo = 0;
    let hi = 0;
    const { t, v } = s;
    const scratch: SeriesScratch = {};
    for (let i = 0; i < n; i++) {
      const end = data.ends[i];
      const start = end - data.range;
      while (hi < t.length && t[hi] <= end) hi++;
      while (lo < hi && t[lo] <= start) lo++;
      if (lo === hi) continue;
      for (let p = 0; p < scalarArgs.length; p++) params[p] = scalarArgs[p][i];
      const value = fn(t, v, lo, hi, end, data.range, params, scratch);
      if (value === undefined) continue;
      r.v[i] = value;
      r.has[i] = 1;
    }
    out.push(r);
  }
  return merged(out, n);
}
