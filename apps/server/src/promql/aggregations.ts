import { type Labels, labelsKey } from '../model/labels.js';
import type { AggregateExpr } from './ast.js';
import { QueryError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { formatGoFloat } from './float-format.js';
import { groupingLabels, withLabel } from './labels-util.js';
import { isInfinite, kahanAdd } from './math-util.js';
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

/** The float aggregations: one output series per group. */
function reduceGroup(op: string, g: Group, n: number, param: Float64Array | undefined): StepSeries {
  const out = newStepSeries(g.labels, n);
  const count = new Float64Array(n);
  const acc = out.v;
  const comp = new Float64Array(n);
  const mean = new Float64Array(n);
  for (const s of g.members) {
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const x = s.v[i];
      const c = ++count[i];
      switch (op) {
        case 'sum':
        case 'avg': {
          const r = kahanAdd(x, c === 1 ? 0 : acc[i], c === 1 ? 0 : comp[i]);
          acc[i] = r.sum;
          comp[i] = r.c;
          break;
        }
        case 'min':
          if (c === 1 || acc[i] > x || Number.isNaN(acc[i])) acc[i] = x;
          break;
        case 'max':
          if (c === 1 || acc[i] < x || Number.isNaN(acc[i])) acc[i] = x;
          break;
        case 'stddev':
        case 'stdvar': {
          if (c === 1) {
            mean[i] = x;
            acc[i] = 0;
          } else {
            const delta = x - mean[i];
            mean[i] += delta / c;
            acc[i] += delta * (x - mean[i]);
          }
          break;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const c = count[i];
    if (c === 0) continue;
    out.has[i] = 1;
    switch (op) {
      case 'sum':
        acc[i] = Number.isFinite(acc[i] + comp[i]) ? acc[i] + comp[i] : acc[i];
        break;
      case 'avg': {
        const total = Number.isFinite(acc[i] + comp[i]) ? acc[i] + comp[i] : acc[i];
        acc[i] = Number.isFinite(total) ? total / c : avgIncremental(g.members, i);
        break;
      }
      case 'count':
        acc[i] = c;
        break;
      case 'group':
        acc[i] = 1;
        break;
      case 'stddev':
        acc[i] = Math.sqrt(acc[i] / c);
        break;
      case 'stdvar':
        acc[i] = acc[i] / c;
        break;
      case 'quantile': {
        const values: number[] = [];
        for (const s of g.members) if (s.has[i]) values.push(s.v[i]);
        acc[i] = quantile(param![i], values);
        break;
      }
    }
  }
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
      present.sort((a, b) => {
        const x = a.v[i];
        const y = b.v[i];
        if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
        if (Number.isNaN(y)) return -1;
        return top ? y - x : x - y;
      });
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
    const ordered = [...g.members].sort((a, b) => labelHash(a.labels) - labelHash(b.labels));
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
  const key = labelsKey(labels);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** count_values: one output series per distinct value, counting the series holding it. */
function countValues(series: StepSeries[], label: string, e: AggregateExpr, n: number): VectorValue {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) throw new QueryError(`invalid label name "${label}"`);
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
