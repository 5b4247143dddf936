import { type BitReader, type BitWriter, bitLength } from './bits.js';

/**
 * A run of non-negative integers bit-packed at one width chosen per run. The width minimises the
 * total size: values that do not fit (and the all-ones escapeCode code itself) are written as the
 * escapeCode code, 6 bits of length and the value, so one outlier (a missed scrape, a counter reset)
 * does not widen every other value.
 */

const MAX_BITS = 54;

/** The cheapest width for `values[from..to)` and its cost in bits. */
export function chooseWidth(values: Float64Array, from: number, to: number): { width: number; cost: number } {
  const hist = new Int32Array(MAX_BITS + 1);
  const allOnes = new Int32Array(MAX_BITS + 1);
  for (let i = from; i < to; i++) {
    const x = values[i];
    const b = bitLength(x);
    hist[b]++;
    // x === 2^b - 1 means every bit of x is set: it collides with the escapeCode code at width b.
    if (x === 2 ** b - 1) allOnes[b]++;
  }
  const n = to - from;
  let best = 0;
  let bestCost = n === hist[0] ? 0 : Number.POSITIVE_INFINITY;
  // Cost of the exceptions above width w, accumulated from the top down.
  let above = 0;
  const costAbove = new Float64Array(MAX_BITS + 2);
  for (let b = MAX_BITS; b >= 0; b--) {
    costAbove[b] = above;
    above += hist[b] * (6 + b);
  }
  for (let w = 1; w <= MAX_BITS; w++) {
    const cost = n * w + costAbove[w] + allOnes[w] * (6 + w);
    if (cost < bestCost) {
      bestCost = cost;
      best = w;
    }
  }
  return { width: best, cost: bestCost + 6 };
}

export function writePacked(out: BitWriter, values: Float64Array, from: number, to: number): void {
  const { width } = chooseWidth(values, from, to);
  out.write(width, 6);
  if (width === 0) return;
  const escapeCode = 2 ** width - 1;
  for (let i = from; i < to; i++) {
    const x = values[i];
    if (x < escapeCode) {
      out.writeWide(x, width);
    } else {
      out.writeWide(escapeCode, width);
      const len = bitLength(x);
      out.write(len, 6);
      out.writeWide(x, len);
    }
  }
}

export function readPacked(input: BitReader, into: Float64Array, from: number, to: number): void {
  const width = input.read(6);
  if (width === 0) {
    into.fill(0, from, to);
    return;
  }
  const escapeCode = 2 ** width - 1;
  for (let i = from; i < to; i++) {
    const x = input.readWide(width);
    into[i] = x === escapeCode ? input.readWide(input.read(6)) : x;
  }
}
