import { fnv1a32 } from '../model/hash.js';
import { isValidLabelName, type Labels, labelsKey } from '../model/labels.js';
import type { AggregateExpr } from './ast.js';
import { QueryError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { formatGoFloat } from './float-format.js';
import { groupingLabels, withLabel } from './labels-util.js';
import { compareNaNLast, isInfinite } from './math-util.js';
import { quantile } from './quantile.js';
import { newStepSeries, type StepSeries, type VectorValue } from './value.js';

interface Group {
  labels: Labels;
  members: StepSeries[];
}

/** Evaluates sum/avg/min/max/count/group/stddev/stdvar/topk/bottomk/quantile/count_values/limitk/limit_ratio. */
export function aggregate(ev: Evaluator, e: AggregateExpr, times: Float64Array): VectorValue {
  const input = ev.evalVector(e.expr, times);
  const n = times.length;
  if (e.op === 'count_values') {
    const p = ev.eval(e.param!, times);
    if (p.kind !== 'string') throw new QueryError('count_values: expected a string parameter');
    return countValues(input.series, p.s, e, n);
  }
  const param = e.param ? ev.evalScalar(e.param, times) : undefined;
  const groups = groupSeries(input.series, e);
  switch (e.op) {
    case 'topk':
    case 'bottomk':
      return { kind: 'vector', series: selectK(groups, param!, n, e.op === 'topk') };
    case 'limitk':
      return { kind: 'vector', series: limitK(groups, param!, n) };
    case 'limit_ratio':
      return { kind: 'vector', series: limitRatio(groups, param!, n) };
    default:
      return { kind: 'vector', series: groups.map((g) => reduceGroup(e.op, g, n, param)).filter(hasAny) };
  }
}

function hasAny(s: StepSeries): boolean {
  return s.has.includes(1);
}

function groupSeries(series: StepSeries[], e: AggregateExpr): Group[] {
  // No grouping labels: one group, without building a key per series.
  if (!e.without && e.grouping.length === 0) return series.length ? [{ labels: [], members: series }] : [];
  const byKey = new Map<string, Group>();
  for (const s of series) {
    const labels = groupingLabels(s.labels, e.grouping, e.without);
    const key = labelsKey(labels);
    let g = byKey.get(key);
    if (!g) {
      g = { labels, members: [] };
      byKey.set(key, g);
    }
    g.members.push(s);
  }
  return [...byKey.values()];
}

/** The float aggregations: one output series per group, accumulated column-wise per member. */
function reduceGroup(op: string, g: Group, n: number, param: Float64Array | undefined): StepSeries {
  const out = newStepSeries(g.labels, n);
  const count = new Float64Array(n);
  const acc = out.v;
  switch (op) {
    case 'sum':
    case 'avg': {
      // Neumaier-compensated sums, inlined: this loop runs once per input sample.
      const comp = new Float64Array(n);
      for (const s of g.members) {
        const { v, has } = s;
        for (let i = 0; i < n; i++) {
          if (!has[i]) continue;
          const x = v[i];
          count[i]++;
          const sum = acc[i];
          const t = sum + x;
          if (Number.isFinite(t)) {
            if (Math.abs(sum) >= Math.abs(x)) comp[i] += sum - t + x;
            else comp[i] += x - t + sum;
          } else comp[i] = 0;
          acc[i] = t;
        }
      }
      for (let i = 0; i < n; i++) {
        if (count[i] === 0) continue;
        const total = Number.isFinite(acc[i] + comp[i]) ? acc[i] + comp[i] : acc[i];
        acc[i] =
          op === 'sum' ? total : Number.isFinite(total) ? total / count[i] : avgIncremental(g.members, i);
      }
      break;
    }
    case 'min':
    case 'max': {
      const isMax = op === 'max';
      for (const s of g.members) {
        const { v, has } = s;
        for (let i = 0; i < n; i++) {
          if (!has[i]) continue;
          const x = v[i];
          const c = ++count[i];
          if (c === 1 || Number.isNaN(acc[i]) || (isMax ? acc[i] < x : acc[i] > x)) acc[i] = x;
        }
      }
      break;
    }
    case 'count':
    case 'group':
      for (const s of g.members) for (let i = 0; i < n; i++) count[i] += s.has[i];
      for (let i = 0; i < n; i++) acc[i] = op === 'count' ? count[i] : 1;
      break;
    case 'stddev':
    case 'stdvar': {
      // Welford's running mean and sum of squared deviations.
      const mean = new Float64Array(n);
      for (const s of g.members) {
        for (let i = 0; i < n; i++) {
          if (!s.has[i]) continue;
          const x = s.v[i];
          const c = ++count[i];
          const delta = x - mean[i];
          mean[i] += delta / c;
          acc[i] += delta * (x - mean[i]);
        }
      }
      for (let i = 0; i < n; i++) {
        if (count[i] > 0) acc[i] = op === 'stddev' ? Math.sqrt(acc[i] / count[i]) : acc[i] / count[i];
      }
      break;
    }
    case 'quantile':
      for (let i = 0; i < n; i++) {
        const values: number[] = [];
        for (const s of g.members) if (s.has[i]) values.push(s.v[i]);
        count[i] = values.length;
        if (values.length > 0) acc[i] = quantile(param![i], values);
      }
      break;
    default:
      throw new QueryError(`unknown aggregation "${op}"`);
  }
  for (let i = 0; i < n; i++) if (count[i] > 0) out.has[i] = 1;
  return out;
}

/** Mean by running update, for when the plain sum overflows. */
function avgIncremental(members: StepSeries[], i: number): number {
  let mean = 0;
  let c = 0;
  for (const s of members) {
    if (!s.has[i]) continue;
    c++;
    const x = s.v[i];
    if (isInfinite(mean)) {
      if (isInfinite(x) && Math.sign(x) !== Math.sign(mean)) return Number.NaN;
      continue;
    }
    if (isInfinite(x)) {
      mean = x;
      continue;
    }
    mean += x / c - mean / c;
  }
  return mean;
}

/** topk/bottomk: the k largest (smallest) per group and step; NaN sorts last in both. */
function selectK(groups: Group[], k: Float64Array, n: number, top: boolean): StepSeries[] {
  const outputs = new Map<StepSeries, StepSeries>();
  for (const g of groups) {
    for (let i = 0; i < n; i++) {
      const want = checkedK(k[i]);
      if (want === 0) continue;
      const present = g.members.filter((s) => s.has[i]);
      present.sort((a, b) => compareNaNLast(a.v[i], b.v[i], top));
      for (const s of present.slice(0, want)) mark(outputs, s, i, s.v[i], n);
    }
  }
  return [...outputs.values()];
}

function checkedK(k: number): number {
  if (Number.isNaN(k)) throw new QueryError('Parameter value is NaN');
  if (k >= 2 ** 53) throw new QueryError(`Scalar value ${k} overflows int64`);
  return Math.max(0, Math.trunc(k));
}

function mark(outputs: Map<StepSeries, StepSeries>, s: StepSeries, i: number, v: number, n: number): void {
  let o = outputs.get(s);
  if (!o) {
    o = newStepSeries(s.labels, n);
    outputs.set(s, o);
  }
  o.v[i] = v;
  o.has[i] = 1;
}

/** limitk: the first k series of each group, in a stable order (by label hash as Prometheus does). */
function limitK(groups: Group[], k: Float64Array, n: number): StepSeries[] {
  const outputs = new Map<StepSeries, StepSeries>();
  for (const g of groups) {
    const hashes = new Map(g.members.map((s) => [s, labelHash(s.labels)]));
    const ordered = [...g.members].sort((a, b) => (hashes.get(a) as number) - (hashes.get(b) as number));
    for (let i = 0; i < n; i++) {
      let want = checkedK(k[i]);
      for (const s of ordered) {
        if (want === 0) break;
        if (!s.has[i]) continue;
        mark(outputs, s, i, s.v[i], n);
        want--;
      }
    }
  }
  return [...outputs.values()];
}

/**
 * limit_ratio: a deterministic sample of about ratio of the series, chosen by a hash of the labels
 * mapped to [0, 1); a negative ratio selects the complement.
 */
function limitRatio(groups: Group[], ratio: Float64Array, n: number): StepSeries[] {
  const outputs = new Map<StepSeries, StepSeries>();
  for (const g of groups) {
    for (const s of g.members) {
      const position = labelHash(s.labels) / 2 ** 32;
      for (let i = 0; i < n; i++) {
        if (!s.has[i]) continue;
        const r = ratio[i];
        if (Number.isNaN(r)) throw new QueryError('Ratio value is NaN');
        const clamped = Math.max(-1, Math.min(1, r));
        const keep = clamped >= 0 ? position < clamped : position >= 1 + clamped;
        if (keep) mark(outputs, s, i, s.v[i], n);
      }
    }
  }
  return [...outputs.values()];
}

/** FNV-1a over the label key: a stable, evenly spread position per series. */
function labelHash(labels: Labels): number {
  return fnv1a32(labelsKey(labels));
}

/** count_values: one output series per distinct value, counting the series holding it. */
function countValues(series: StepSeries[], label: string, e: AggregateExpr, n: number): VectorValue {
  if (!isValidLabelName(label)) throw new QueryError(`invalid label name "${label}"`);
  const outputs = new Map<string, StepSeries>();
  for (const s of series) {
    const base = groupingLabels(s.labels, e.grouping, e.without);
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const labels = withLabel(base, label, formatGoFloat(s.v[i]));
      const key = labelsKey(labels);
      let o = outputs.get(key);
      if (!o) {
        o = newStepSeries(labels, n);
        outputs.set(key, o);
      }
      o.v[i] = o.has[i] ? o.v[i] + 1 : 1;
      o.has[i] = 1;
    }
  }
  return { kind: 'vector', series: [...outputs.values()] };
}
