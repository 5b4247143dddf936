import { type BitReader, type BitWriter, unzigzag, zigzag } from './bits.js';
import { readSigned, SignedPlan } from './packed.js';
import { Slot, scratchArray } from './scratch.js';

/**
 * Timestamps of a chunk (sorted, integer milliseconds, |t| < 2^48). Two encodings, the cheaper
 * one wins per chunk:
 * - grid: t0, a step S, then each t[i] - (t0 + i*S). A scrape with jitter stays within a few
 *   milliseconds of its grid, so residuals take 2-3 bits whatever the jitter's history.
 * - delta-of-delta: t0, t1 - t0, then (t[i] - t[i-1]) - (t[i-1] - t[i-2]); robust to a missed
 *   scrape or a changed interval, where the grid drifts.
 */

const GRID = 0;
const DOD = 1;

const gridPlan = new SignedPlan(Slot.planA, Slot.planAOffset);
const dodPlan = new SignedPlan(Slot.planB, Slot.planBOffset);

/** Encodes t[1..n) relative to t[0], which the caller keeps (chunk rows store it as mint). */
export function encodeTimestamps(out: BitWriter, t: Float64Array, n: number): void {
  if (n === 1) return;
  const grid = scratchArray(Slot.first, n);
  const step = Math.round((t[n - 1] - t[0]) / (n - 1));
  for (let i = 1; i < n; i++) grid[i] = t[i] - (t[0] + i * step);
  const gridCost = gridPlan.plan(grid, 1, n);
  // A regular scrape fits its grid in a few bits per sample; only then is delta-of-delta not worth trying.
  if (gridCost <= 4 * n || gridCost <= dodCost(t, n)) {
    out.write(GRID, 1);
    out.writeVar(zigzag(step));
    gridPlan.write(out);
  } else {
    out.write(DOD, 1);
    out.writeVar(zigzag(t[1] - t[0]));
    dodPlan.write(out);
  }
}

function dodCost(t: Float64Array, n: number): number {
  const dod = scratchArray(Slot.second, n);
  for (let i = 2; i < n; i++) dod[i] = t[i] - 2 * t[i - 1] + t[i - 2];
  return dodPlan.plan(dod, 2, n);
}

/**
 * Decodes the timestamps into t[0..n) and returns the index from which they are valid: 0, or
 * when only t >= mint is needed, possibly later (grid residuals packed in groups are skipped up
 * to the group holding the first index whose timestamp can reach mint).
 */
export function decodeTimestamps(
  input: BitReader,
  t: Float64Array,
  n: number,
  t0: number,
  mint = Number.NEGATIVE_INFINITY,
): number {
  t[0] = t0;
  if (n === 1) return 0;
  const mode = input.read(1);
  if (mode === GRID) {
    const step = unzigzag(input.readVar());
    const first = readSigned(input, t, 1, n, t0, step, mint);
    for (let i = first; i < n; i++) t[i] = t0 + i * step + t[i];
    return first === 1 ? 0 : first;
  }
  t[1] = t0 + unzigzag(input.readVar());
  readSigned(input, t, 2, n);
  for (let i = 2; i < n; i++) t[i] = 2 * t[i - 1] - t[i - 2] + t[i];
  return 0;
}
