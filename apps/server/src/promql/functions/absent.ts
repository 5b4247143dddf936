import type { Labels } from '../../model/labels.js';
import type { Expr } from '../ast.js';
import { newStepSeries, type VectorValue } from '../value.js';

/** absent() and absent_over_time(): a series where the argument has none, labelled from its selector. */

export function presentOverTime(
  series: { t: Float64Array }[],
  ends: Float64Array,
  range: number,
  n: number,
): Uint8Array {
  const present = new Uint8Array(n);
  for (const s of series) {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      while (hi < s.t.length && s.t[hi] <= ends[i]) hi++;
      while (lo < hi && s.t[lo] <= ends[i] - range) lo++;
      if (hi > lo) present[i] = 1;
    }
  }
  return present;
}

/** absent()/absent_over_time(): 1 where the input is empty, labelled by the selector's equality matchers. */
export function absentResult(arg: Expr, present: (i: number) => boolean, n: number): VectorValue {
  const s = newStepSeries(absentLabels(arg), n);
  for (let i = 0; i < n; i++) {
    if (present(i)) continue;
    s.v[i] = 1;
    s.has[i] = 1;
  }
  return { kind: 'vector', series: s.has.includes(1) ? [s] : [] };
}

function absentLabels(arg: Expr): Labels {
  let e = arg;
  while (e.type === 'paren') e = e.expr;
  const selector = e.type === 'vectorSelector' ? e : e.type === 'matrixSelector' ? e.vector : undefined;
  if (!selector) return [];
  const equal = new Map<string, string | undefined>();
  for (const m of selector.matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=') equal.set(m.name, equal.has(m.name) ? undefined : m.value);
    else if (equal.has(m.name)) equal.set(m.name, undefined);
  }
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of equal) if (value !== undefined && value !== '') out.push({ name, value });
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}
