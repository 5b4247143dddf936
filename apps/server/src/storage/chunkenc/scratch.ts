/**
 * Reusable arrays for the chunk encoder. A Float64Array of a chunk's length lives outside the JS
 * heap, and allocating the five or six an encoding needs cost more than the encoding itself. The
 * codec is synchronous, so one set per thread is safe; callers write every index they read.
 */
const slots: Float64Array[] = [];

/** Scratch array number `slot` with room for at least n values (contents undefined). */
export function scratchArray(slot: number, n: number): Float64Array {
  let a = slots[slot];
  if (a === undefined || a.length < n) {
    a = new Float64Array(Math.max(256, n));
    slots[slot] = a;
  }
  return a;
}

/** Slots in use: each name is one array that can be alive alongside the others. */
export const Slot = {
  /** Grid residuals, then first differences of the mantissas. */
  first: 0,
  /** Delta-of-delta timestamps, then second differences of the mantissas. */
  second: 1,
  mantissa: 2,
  /** Zigzag and offset codes of the two signed plans (see SignedPlan). */
  planA: 3,
  planAOffset: 4,
  planB: 5,
  planBOffset: 6,
} as const;
