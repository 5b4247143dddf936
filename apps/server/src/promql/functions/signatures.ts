import type { ValueType } from '../ast.js';

/** The type signature of a PromQL function, as the parser checks it. */
export interface FunctionSignature {
  args: ValueType[];
  /** Number of trailing optional arguments; -1: the last argument repeats without limit. */
  optional: number;
  returns: ValueType;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

const sig = (args: ValueType[], returns: ValueType, optional = 0): FunctionSignature => ({
  args,
  optional,
  returns,
});

const table: Record<string, FunctionSignature> = {
  abs: sig([V], V),
  absent: sig([V], V),
  absent_over_time: sig([M], V),
  acos: sig([V], V),
  acosh: sig([V], V),
  asin: sig([V], V),
  asinh: sig([V], V),
  atan: sig([V], V),
  atanh: sig([V], V),
  avg_over_time: sig([M], V),
  ceil: sig([V], V),
  changes: sig([M], V),
  clamp: sig([V, S, S], V),
  clamp_max: sig([V, S], V),
  clamp_min: sig([V, S], V),
  cos: sig([V], V),
  cosh: sig([V], V),
  count_over_time: sig([M], V),
  days_in_month: sig([V], V, 1),
  day_of_month: sig([V], V, 1),
  day_of_week: sig([V], V, 1),
  day_of_year: sig([V], V, 1),
  deg: sig([V], V),
  delta: sig([M], V),
  deriv: sig([M], V),
  double_exponential_smoothing: sig([M, S, S], V),
  exp: sig([V], V),
  first_over_time: sig([M], V),
  floor: sig([V], V),
  histogram_avg: sig([V], V),
  histogram_count: sig([V], V),
  histogram_fraction: sig([S, S, V], V),
  histogram_quantile: sig([S, V], V),
  histogram_stddev: sig([V], V),
  histogram_stdvar: sig([V], V),
  histogram_sum: sig([V], V),
  hour: sig([V], V, 1),
  idelta: sig([M], V),
  increase: sig([M], V),
  irate: sig([M], V),
  label_join: sig([V, STR, STR, STR], V, -1),
  label_replace: sig([V, STR, STR, STR, STR], V),
  last_over_time: sig([M], V),
  ln: sig([V], V),
  log10: sig([V], V),
  log2: sig([V], V),
  mad_over_time: sig([M], V),
  max_over_time: sig([M], V),
  min_over_time: sig([M], V),
  minute: sig([V], V, 1),
  month: sig([V], V, 1),
  pi: sig([], S),
  predict_linear: sig([M, S], V),
  present_over_time: sig([M], V),
  quantile_over_time: sig([S, M], V),
  rad: sig([V], V),
  rate: sig([M], V),
  resets: sig([M], V),
  round: sig([V, S], V, 1),
  scalar: sig([V], S),
  sgn: sig([V], V),
  sin: sig([V], V),
  sinh: sig([V], V),
  sort: sig([V], V),
  sort_by_label: sig([V, STR], V, -1),
  sort_by_label_desc: sig([V, STR], V, -1),
  sort_desc: sig([V], V),
  sqrt: sig([V], V),
  stddev_over_time: sig([M], V),
  stdvar_over_time: sig([M], V),
  sum_over_time: sig([M], V),
  tan: sig([V], V),
  tanh: sig([V], V),
  time: sig([], S),
  timestamp: sig([V], V),
  ts_of_first_over_time: sig([M], V),
  ts_of_last_over_time: sig([M], V),
  ts_of_max_over_time: sig([M], V),
  ts_of_min_over_time: sig([M], V),
  vector: sig([S], V),
  year: sig([V], V, 1),
};

export function functionSignature(name: string): FunctionSignature | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
