import type { Labels } from '../model/labels.js';

/**
 * Values over a grid of evaluation times. A vector is a set of series, each with one slot per
 * step: `v[i]` is meaningful only where `has[i]` is 1. Keeping whole steps in typed arrays lets
 * every operator run column-wise instead of allocating an object per sample.
 */
export interface StepSeries {
  labels: Labels;
  v: Float64Array;
  has: Uint8Array;
}

export interface VectorValue {
  kind: 'vector';
  series: StepSeries[];
}
export interface ScalarValue {
  kind: 'scalar';
  v: Float64Array;
}
export interface StringValue {
  kind: 'string';
  s: string;
}
export type StepValue = VectorValue | ScalarValue | StringValue;

/** Raw samples of one series, as a range vector holds them. */
export interface RawSeries {
  labels: Labels;
  t: Float64Array;
  v: Float64Array;
}

/** A range vector over the grid: the samples, and for each step the window (end - range, end]. */
export interface RangeData {
  series: RawSeries[];
  /** Window end per step (evaluation time minus offset, or the @ time). */
  ends: Float64Array;
  range: number;
}

export function newStepSeries(labels: Labels, steps: number): StepSeries {
  return { labels, v: new Float64Array(steps), has: new Uint8Array(steps) };
}

/**
 * The steps at which a series has a value, as points at `times`; undefined when it has none.
 * When every step has one, the arrays are `times` and the series' own values, not copies.
 */
export function presentPoints(
  s: StepSeries,
  times: Float64Array,
): { t: Float64Array; v: Float64Array } | undefined {
  const n = times.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += s.has[i];
  if (m === 0) return undefined;
  if (m === n) return { t: times, v: s.v };
  const t = new Float64Array(m);
  const v = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!s.has[i]) continue;
    t[k] = times[i];
    v[k++] = s.v[i];
  }
  return { t, v };
}

/** Index of the first element of the sorted array `a` greater than x. */
export function upperBound(a: Float64Array, x: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
