/** Numeric helpers shared by aggregations and functions. */

/** One step of Kahan-Babuska (Neumaier) summation; returns the new sum and compensation. */
export function kahanAdd(x: number, sum: number, c: number): { sum: number; c: number } {
  const t = sum + x;
  if (!Number.isFinite(t)) return { sum: t, c: 0 };
  if (Math.abs(sum) >= Math.abs(x)) c += sum - t + x;
  else c += x - t + sum;
  return { sum: t, c };
}

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
