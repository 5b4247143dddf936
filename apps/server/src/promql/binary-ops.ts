import { formatLabels, getLabel, type Labels, labelsKey } from '../model/labels.js';
import { type BinaryExpr, type BinaryOp, COMPARISON_OPS, SET_OPS, type VectorMatching } from './ast.js';
import { QueryError } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { merged } from './functions/merge.js';
import { dropMetricName, withLabel } from './labels-util.js';
import { newStepSeries, type StepSeries, type StepValue } from './value.js';

/** Go's math.Pow, which differs from `**` for a base of 1 and for -1 raised to ±Inf. */
function goPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && !Number.isFinite(b) && !Number.isNaN(b)) return 1;
  return a ** b;
}

export function arithmetic(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return goPow(a, b);
    case 'atan2':
      return Math.atan2(a, b);
    default:
      throw new QueryError(`operator "${op}" not allowed for arithmetic`);
  }
}

export function compare(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      throw new QueryError(`operator "${op}" is not a comparison`);
  }
}

/**
 * One element operation: returns the value, or undefined when a filtering comparison drops the
 * element. For comparisons `keepValue` is the value that survives (the vector side's).
 */
function elementOp(
  op: BinaryOp,
  a: number,
  b: number,
  returnBool: boolean,
  keepValue: number,
): number | undefined {
  if (!COMPARISON_OPS.has(op)) return arithmetic(op, a, b);
  const ok = compare(op, a, b);
  if (returnBool) return ok ? 1 : 0;
  return ok ? keepValue : undefined;
}

export function binaryOp(ev: Evaluator, e: BinaryExpr, times: Float64Array): StepValue {
  const lhs = ev.eval(e.lhs, times);
  const rhs = ev.eval(e.rhs, times);
  const n = times.length;
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = elementOp(e.op, lhs.v[i], rhs.v[i], true, 0) ?? 0;
    return { kind: 'scalar', v };
  }
  const dropName = !COMPARISON_OPS.has(e.op) || e.returnBool;
  // Dropping __name__ can make two series equal: merged() refuses that at a shared step.
  if (lhs.kind === 'vector' && rhs.kind === 'scalar')
    return merged(vectorScalar(lhs.series, rhs.v, e, dropName, false), n);
  if (lhs.kind === 'scalar' && rhs.kind === 'vector')
    return merged(vectorScalar(rhs.series, lhs.v, e, dropName, true), n);
  if (lhs.kind !== 'vector' || rhs.kind !== 'vector')
    throw new QueryError('binary expression on non-numeric operands');
  const matching = e.matching!;
  if (SET_OPS.has(e.op)) return { kind: 'vector', series: setOp(e.op, lhs.series, rhs.series, matching, n) };
  return { kind: 'vector', series: vectorVector(e, lhs.series, rhs.series, matching, n, dropName) };
}

function vectorScalar(
  series: StepSeries[],
  scalar: Float64Array,
  e: BinaryExpr,
  dropName: boolean,
  scalarOnLeft: boolean,
): StepSeries[] {
  const out: StepSeries[] = [];
  for (const s of series) {
    const r = newStepSeries(dropName ? dropMetricName(s.labels) : s.labels, s.v.length);
    let any = false;
    for (let i = 0; i < s.v.length; i++) {
      if (!s.has[i]) continue;
      const x = s.v[i];
      const v = scalarOnLeft
        ? elementOp(e.op, scalar[i], x, e.returnBool, x)
        : elementOp(e.op, x, scalar[i], e.returnBool, x);
      if (v === undefined) continue;
      r.v[i] = v;
      r.has[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return out;
}

/** Whether a label takes part in matching: an on() label, or any but ignoring() labels and __name__. */
function inSignature(name: string, m: VectorMatching): boolean {
  const listed = m.labels.includes(name);
  return m.on ? listed : !listed && name !== '__name__';
}

/** The matching signature of a series, as a key. */
function signature(labels: Labels, m: VectorMatching): string {
  let key = '';
  for (const l of labels) if (inSignature(l.name, m)) key += `${l.name}\xff${l.value}\xfe`;
  return key;
}

function bySignature(series: StepSeries[], m: VectorMatching): Map<string, StepSeries[]> {
  const out = new Map<string, StepSeries[]>();
  for (const s of series) {
    const sig = signature(s.labels, m);
    const list = out.get(sig);
    if (list) list.push(s);
    else out.set(sig, [s]);
  }
  return out;
}

function setOp(
  op: BinaryOp,
  lhs: StepSeries[],
  rhs: StepSeries[],
  m: VectorMatching,
  n: number,
): StepSeries[] {
  const presence = (groups: Map<string, StepSeries[]>) => {
    const out = new Map<string, Uint8Array>();
    for (const [sig, list] of groups) {
      const p = new Uint8Array(n);
      for (const s of list) for (let i = 0; i < n; i++) p[i] |= s.has[i];
      out.set(sig, p);
    }
    return out;
  };
  const masked = (s: StepSeries, keep: (i: number) => boolean): StepSeries | undefined => {
    const has = new Uint8Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (s.has[i] && keep(i)) {
        has[i] = 1;
        any = true;
      }
    }
    return any ? { labels: s.labels, v: s.v, has } : undefined;
  };
  const out: StepSeries[] = [];
  if (op === 'or') {
    const left = presence(bySignature(lhs, m));
    out.push(...lhs);
    for (const s of rhs) {
      const p = left.get(signature(s.labels, m));
      const r = p ? masked(s, (i) => !p[i]) : s;
      if (r) out.push(r);
    }
    return out;
  }
  const right = presence(bySignature(rhs, m));
  for (const s of lhs) {
    const p = right.get(signature(s.labels, m));
    const r = op === 'and' ? (p ? masked(s, (i) => p[i] === 1) : undefined) : p ? masked(s, (i) => !p[i]) : s;
    if (r) out.push(r);
  }
  return out;
}

function vectorVector(
  e: BinaryExpr,
  lhsSeries: StepSeries[],
  rhsSeries: StepSeries[],
  m: VectorMatching,
  n: number,
  dropName: boolean,
): StepSeries[] {
  const swapped = m.card === 'one-to-many';
  const many = swapped ? rhsSeries : lhsSeries;
  const one = bySignature(swapped ? lhsSeries : rhsSeries, m);
  const outputs = new Map<string, StepSeries>();
  const resultFor = new Map<StepSeries, Map<StepSeries, StepSeries>>();
  const manyBySig = bySignature(many, m);
  for (const [sig, manyList] of manyBySig) {
    const oneList = one.get(sig);
    if (!oneList) continue;
    for (let i = 0; i < n; i++) {
      let match: StepSeries | undefined;
      for (const s of oneList) {
        if (!s.has[i]) continue;
        if (match) {
          const side = swapped ? 'left' : 'right';
          throw new QueryError(
            `found duplicate series for the match group ${formatLabels(sigLabels(s.labels, m))} on the ${side} hand-side of the operation: [${formatLabels(match.labels)}, ${formatLabels(s.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
          );
        }
        match = s;
      }
      if (!match) continue;
      let seenMany = false;
      for (const s of manyList) {
        if (!s.has[i]) continue;
        if (m.card === 'one-to-one' && seenMany) {
          throw new QueryError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        seenMany = true;
        const fl = swapped ? match.v[i] : s.v[i];
        const fr = swapped ? s.v[i] : match.v[i];
        const v = elementOp(e.op, fl, fr, e.returnBool, fl);
        if (v === undefined) continue;
        let perOne = resultFor.get(s);
        if (!perOne) {
          perOne = new Map();
          resultFor.set(s, perOne);
        }
        let out = perOne.get(match);
        if (!out) {
          const labels = resultLabels(s.labels, match.labels, m, dropName);
          const key = labelsKey(labels);
          out = outputs.get(key);
          if (!out) {
            out = newStepSeries(labels, n);
            outputs.set(key, out);
          }
          perOne.set(match, out);
        }
        if (out.has[i]) {
          throw new QueryError(
            m.card === 'one-to-one'
              ? 'vector cannot contain metrics with the same labelset'
              : 'multiple matches for labels: grouping labels must ensure unique matches',
          );
        }
        out.v[i] = v;
        out.has[i] = 1;
      }
    }
  }
  return [...outputs.values()];
}

function sigLabels(labels: Labels, m: VectorMatching): Labels {
  return labels.filter((l) => inSignature(l.name, m));
}

function resultLabels(manyLabels: Labels, oneLabels: Labels, m: VectorMatching, dropName: boolean): Labels {
  let labels = dropName ? dropMetricName(manyLabels) : manyLabels;
  if (m.card === 'one-to-one') {
    labels = m.on
      ? labels.filter((l) => m.labels.includes(l.name))
      : labels.filter((l) => !m.labels.includes(l.name));
  }
  for (const name of m.include) {
    labels = withLabel(labels, name, getLabel(oneLabels, name));
  }
  return labels;
}
