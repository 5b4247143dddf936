import { type BitReader, type BitWriter, unzigzag, zigzag } from './bits.js';
import { chooseWidth, readPacked, writePacked } from './packed.js';

/**
 * Timestamps of a chunk (sorted, integer milliseconds, |t| < 2^48). Two encodings, the cheaper
 * one wins per chunk:
 * - grid: t0, a step S, then each t[i] - (t0 + i*S). A scrape with jitter stays within a few
 *   milliseconds of its grid, so residuals take 3-4 bits whatever the jitter's history.
 * - delta-of-delta: t0, t1 - t0, then (t[i] - t[i-1]) - (t[i-1] - t[i-2]); robust to a missed
 *   scrape or a changed interval, where the grid drifts.
 */

const GRID = 0;
const DOD = 1;

export function encodeTimestamps(out: BitWriter, t: Float64Array, n: number): void {
  out.writeWide(zigzag(t[0]), 49);
  if (n === 1) return;
  const grid = new Float64Array(n);
  const dod = new Float64Array(n);
  const step = Math.round((t[n - 1] - t[0]) / (n - 1));
  for (let i = 1; i < n; i++) grid[i] = zigzag(t[i] - (t[0] + i * step));
  for (let i = 2; i < n; i++) dod[i] = zigzag(t[i] - 2 * t[i - 1] + t[i - 2]);
  const gridCost = chooseWidth(grid, 1, n).cost;
  const dodCost = chooseWidth(dod, 2, n).cost;
  if (gridCost <= dodCost) {
    out.write(GRID, 1);
    out.writeVar(zigzag(step));
    writePacked(out, grid, 1, n);
  } else {
    out.write(DOD, 1);
    out.writeVar(zigzag(t[1] - t[0]));
    writePacked(out, dod, 2, n);
  }
}

export function decodeTimestamps(input: BitReader, t: Float64Array, n: number): void {
  t[0] = unzigzag(input.readWide(49));
  if (n === 1) return;
  const mode = input.read(1);
  if (mode === GRID) {
    const step = unzigzag(input.readVar());
    readPacked(input, t, 1, n);
    for (let i = 1; i < n; i++) t[i] = t[0] + i * step + unzigzag(t[i]);
  } else {
    t[1] = t[0] + unzigzag(input.readVar());
    readPacked(input, t, 2, n);
    for (let i = 2; i < n; i++) t[i] = 2 * t[i - 1] - t[i - 2] + unzigzag(t[i]);
  }
}
