/** Numeric functions shared by aggregations and functions. */

/** Sum of v[from..to) with compensation. */
export function kahanSum(v: Float64Array, from: number, to: number): number {
  let sum = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const x = v[i];
    const t = sum + x;
    if (!Number.isFinite(t)) {
      sum = t;
      c = 0;
      continue;
    }
    if (Math.abs(sum) >= Math.abs(x)) c += sum - t + x;
    else c += x - t + sum;
    sum = t;
  }
  return Number.isFinite(sum + c) ? sum + c : sum;
}

export function isInfinite(x: number): boolean {
  return x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY;
}

/** Orders numbers ascending (or descending), NaN last either way: sort() and topk/bottomk. */
export function compareNaNLast(x: number, y: number, descending: boolean): number {
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
  if (Number.isNaN(y)) return -1;
  return descending ? y - x : x - y;
}
