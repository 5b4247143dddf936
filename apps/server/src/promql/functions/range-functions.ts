import { QueryError } from '../errors.js';
import { isInfinite, kahanSum } from '../math-util.js';
import { quantile } from '../quantile.js';

/**
 * Functions over a range-vector window: samples t/v[from, to) lie in (end - range, end].
 * `params` holds the scalar arguments at this step. Returning undefined drops the output point.
 */
export type RangeFunction = (
  t: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
  end: number,
  range: number,
  params: number[],
  series: SeriesScratch,
) => number | undefined;

/** Per-series facts computed once and shared by all of that series' windows. */
export interface SeriesScratch {
  /** Indices i where v[i] < v[i - 1] (counter resets), ascending. */
  resets?: Int32Array;
}

function findResets(v: Float64Array): Int32Array {
  let n = 0;
  for (let i = 1; i < v.length; i++) if (v[i] < v[i - 1]) n++;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i] < v[i - 1]) out[k++] = i;
  return out;
}

/** Sum of the values before each counter reset inside the window [from, to). */
function resetCorrection(v: Float64Array, from: number, to: number, scratch: SeriesScratch): number {
  scratch.resets ??= findResets(v);
  const resets = scratch.resets;
  if (resets.length === 0) return 0;
  let lo = 0;
  let hi = resets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (resets[mid] <= from) lo = mid + 1;
    else hi = mid;
  }
  let correction = 0;
  for (let k = lo; k < resets.length && resets[k] < to; k++) correction += v[resets[k] - 1];
  return correction;
}

/**
 * rate/increase/delta: the change over the window, extrapolated to the window edges unless the
 * first or last sample is further from the edge than 1.1 average intervals (then by half an
 * interval); counters are not extrapolated below zero.
 */
function extrapolated(isCounter: boolean, isRate: boolean): RangeFunction {
  return (t, v, from, to, end, range, _params, scratch) => {
    const n = to - from;
    if (n < 2) return undefined;
    const firstT = t[from];
    const lastT = t[to - 1];
    let result = v[to - 1] - v[from];
    if (isCounter) result += resetCorrection(v, from, to, scratch);
    const rangeStart = end - range;
    let durationToStart = (firstT - rangeStart) / 1000;
    let durationToEnd = (end - lastT) / 1000;
    const sampledInterval = (lastT - firstT) / 1000;
    const averageInterval = sampledInterval / (n - 1);
    const threshold = averageInterval * 1.1;
    if (durationToStart >= threshold) durationToStart = averageInterval / 2;
    if (isCounter && result > 0 && v[from] >= 0) {
      const durationToZero = sampledInterval * (v[from] / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;
    let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate) factor /= range / 1000;
    return result * factor;
  };
}

/** irate/idelta: from the last two samples. */
function instant(isRate: boolean): RangeFunction {
  return (t, v, from, to) => {
    if (to - from < 2) return undefined;
    const last = v[to - 1];
    const prev = v[to - 2];
    let result = isRate && last < prev ? last : last - prev;
    if (!isRate) return result;
    const interval = (t[to - 1] - t[to - 2]) / 1000;
    if (interval === 0) return undefined;
    result /= interval;
    return result;
  };
}

/** Least-squares fit over the window with x in seconds relative to interceptTime. */
export function linearRegression(
  t: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
  interceptTime: number,
): { slope: number; intercept: number } {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumX2 = 0;
  const initY = v[from];
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = v[i];
    if (constY && i > from && y !== initY) constY = false;
    n++;
    const x = (t[i] - interceptTime) / 1000;
    sumX += x;
    sumY += y;
    sumXY += x * y;
    sumX2 += x * x;
  }
  if (constY) {
    if (!Number.isFinite(initY)) return { slope: Number.NaN, intercept: Number.NaN };
    return { slope: 0, intercept: initY };
  }
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return { slope, intercept: sumY / n - (slope * sumX) / n };
}

function variance(v: Float64Array, from: number, to: number): number {
  let mean = 0;
  let acc = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    c++;
    const delta = v[i] - mean;
    mean += delta / c;
    acc += delta * (v[i] - mean);
  }
  return acc / c;
}

function mean(v: Float64Array, from: number, to: number): number {
  const n = to - from;
  const sum = kahanSum(v, from, to);
  if (Number.isFinite(sum)) return sum / n;
  let m = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    c++;
    const x = v[i];
    if (isInfinite(m)) {
      if (isInfinite(x) && Math.sign(x) !== Math.sign(m)) return Number.NaN;
      continue;
    }
    if (isInfinite(x)) {
      m = x;
      continue;
    }
    m += x / c - m / c;
  }
  return m;
}

function extreme(isMax: boolean, timestamp: boolean): RangeFunction {
  return (t, v, from, to) => {
    if (to === from) return undefined;
    let best = v[from];
    let bestT = t[from];
    for (let i = from + 1; i < to; i++) {
      const x = v[i];
      if ((isMax ? x > best : x < best) || Number.isNaN(best)) {
        best = x;
        bestT = t[i];
      } else if (timestamp && x === best) bestT = t[i];
    }
    return timestamp ? bestT / 1000 : best;
  };
}

function smoothingFactor(name: string, x: number): number {
  if (!(x > 0 && x < 1))
    throw new QueryError(
      `invalid ${name} factor. Expected: 0 < ${name === 'smoothing' ? 'sf' : 'tf'} < 1, got: ${x}`,
    );
  return x;
}

const table: Record<string, RangeFunction> = {
  rate: extrapolated(true, true),
  increase: extrapolated(true, false),
  delta: extrapolated(false, false),
  irate: instant(true),
  idelta: instant(false),
  deriv: (t, v, from, to) => (to - from < 2 ? undefined : linearRegression(t, v, from, to, t[from]).slope),
  predict_linear: (t, v, from, to, end, _range, [duration]) => {
    if (to - from < 2) return undefined;
    const { slope, intercept } = linearRegression(t, v, from, to, end);
    return slope * duration + intercept;
  },
  changes: (_t, v, from, to) => {
    if (to === from) return undefined;
    let changes = 0;
    for (let i = from + 1; i < to; i++) {
      const a = v[i - 1];
      const b = v[i];
      if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) changes++;
    }
    return changes;
  },
  resets: (_t, v, from, to, _end, _range, _params, scratch) => {
    if (to === from) return undefined;
    scratch.resets ??= findResets(v);
    let resets = 0;
    for (const i of scratch.resets) if (i > from && i < to) resets++;
    return resets;
  },
  avg_over_time: (_t, v, from, to) => (to === from ? undefined : mean(v, from, to)),
  sum_over_time: (_t, v, from, to) => (to === from ? undefined : kahanSum(v, from, to)),
  count_over_time: (_t, _v, from, to) => (to === from ? undefined : to - from),
  min_over_time: extreme(false, false),
  max_over_time: extreme(true, false),
  ts_of_min_over_time: extreme(false, true),
  ts_of_max_over_time: extreme(true, true),
  last_over_time: (_t, v, from, to) => (to === from ? undefined : v[to - 1]),
  first_over_time: (_t, v, from, to) => (to === from ? undefined : v[from]),
  ts_of_last_over_time: (t, _v, from, to) => (to === from ? undefined : t[to - 1] / 1000),
  ts_of_first_over_time: (t, _v, from, to) => (to === from ? undefined : t[from] / 1000),
  present_over_time: (_t, _v, from, to) => (to === from ? undefined : 1),
  stddev_over_time: (_t, v, from, to) => (to === from ? undefined : Math.sqrt(variance(v, from, to))),
  stdvar_over_time: (_t, v, from, to) => (to === from ? undefined : variance(v, from, to)),
  quantile_over_time: (_t, v, from, to, _end, _range, [q]) =>
    to === from ? undefined : quantile(q, Array.from(v.subarray(from, to))),
  mad_over_time: (_t, v, from, to) => {
    if (to === from) return undefined;
    const values = Array.from(v.subarray(from, to));
    const median = quantile(0.5, values);
    return quantile(
      0.5,
      values.map((x) => Math.abs(x - median)),
    );
  },
  double_exponential_smoothing: (_t, v, from, to, _end, _range, [sf, tf]) => {
    smoothingFactor('smoothing', sf);
    smoothingFactor('trend', tf);
    if (to - from < 2) return undefined;
    let s0 = 0;
    let s1 = v[from];
    let b = v[from + 1] - v[from];
    for (let i = from + 1; i < to; i++) {
      const x = sf * v[i];
      if (i - from - 1 > 0) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  },
};

export function rangeFunction(name: string): RangeFunction | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Range functions that keep the metric name. */
export const KEEPS_METRIC_NAME: ReadonlySet<string> = new Set(['last_over_time', 'first_over_time']);
