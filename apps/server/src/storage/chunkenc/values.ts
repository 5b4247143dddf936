import { type BitReader, type BitWriter, unzigzag, zigzag } from './bits.js';
import { readSigned, SignedPlan } from './packed.js';
import { Slot, scratchArray } from './scratch.js';

/**
 * Values of a chunk. Most metric values are short decimals (bytes, counts, 12.34 degrees), so the
 * main encoding turns each value into an integer mantissa at one decimal exponent shared by the
 * chunk (v = M / 10^E, verified bit-exact when encoding) and bit-packs the first or second
 * differences of the mantissas, whichever is smaller: gauges favour deltas, steady counters
 * delta-of-deltas, constants cost nothing. Values that are not such decimals (NaN, the stale
 * marker, ±Inf, -0, 1e300) are exceptions stored as raw float64 bits at their index. A chunk made
 * mostly of exceptions falls back to raw bits with a "same as previous" flag.
 */

const DECIMAL = 0;
const RAW = 1;
const MAX_EXPONENT = 15;
const MAX_MANTISSA = 2 ** 50;
const POW10 = Array.from({ length: MAX_EXPONENT + 1 }, (_, e) => 10 ** e);

/** A little-endian word view of a Float64Array: NaN payloads are copied as bits, never as numbers. */
function wordsOf(v: Float64Array): Uint32Array {
  return new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
}

/** The smallest decimal exponent that represents v exactly, or -1. */
function decimalExponent(v: number): number {
  if (Number.isInteger(v)) return Math.abs(v) <= MAX_MANTISSA && !Object.is(v, -0) ? 0 : -1;
  if (!Number.isFinite(v)) return -1;
  for (let e = 0; e <= MAX_EXPONENT; e++) {
    const m = Math.round(v * POW10[e]);
    if (Math.abs(m) > MAX_MANTISSA) return -1;
    if (m / POW10[e] === v) return e;
  }
  return -1;
}

const firstPlan = new SignedPlan(Slot.planA, Slot.planAOffset);
const secondPlan = new SignedPlan(Slot.planB, Slot.planBOffset);
let exceptions = new Int32Array(256);

/** The smallest decimal exponent at which every value of v[0..n) that has one is exact. */
function chunkExponent(v: Float64Array, n: number): number {
  let exponent = 0;
  let p = 1;
  let previous = Number.NaN;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    // A repeated value, or one already exact at the exponent so far, cannot raise it.
    if (x === previous) continue;
    previous = x;
    if (Math.round(x * p) / p === x) continue;
    const e = decimalExponent(x);
    if (e > exponent) {
      exponent = e;
      p = POW10[e];
    }
  }
  return exponent;
}

export function encodeValues(out: BitWriter, v: Float64Array, n: number): void {
  const exponent = chunkExponent(v, n);
  const p = POW10[exponent];
  const mantissa = scratchArray(Slot.mantissa, n);
  if (exceptions.length < n) exceptions = new Int32Array(n);
  let exceptionCount = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    const m = Math.round(x * p);
    if (Number.isFinite(x) && !Object.is(x, -0) && Math.abs(m) <= MAX_MANTISSA && m / p === x) {
      mantissa[i] = m;
      prev = m;
    } else {
      mantissa[i] = prev;
      exceptions[exceptionCount++] = i;
    }
  }
  if (exceptionCount * 2 > n) {
    out.write(RAW, 1);
    encodeRaw(out, v, n);
    return;
  }
  out.write(DECIMAL, 1);
  out.write(exponent, 4);
  out.writeVar(zigzag(mantissa[0]));
  if (n > 1) {
    const d1 = scratchArray(Slot.first, n);
    for (let i = 1; i < n; i++) d1[i] = mantissa[i] - mantissa[i - 1];
    const firstCost = firstPlan.plan(d1, 1, n);
    // Second differences pay off for steady counters; a delta that already packs in a couple of
    // bits (constants, slow gauges) is not worth a second pass.
    let useSecond = false;
    if (n > 2 && firstCost > 2 * n) {
      const d2 = scratchArray(Slot.second, n);
      for (let i = 2; i < n; i++) d2[i] = d1[i] - d1[i - 1];
      useSecond = secondPlan.plan(d2, 2, n) + 6 + 53 < firstCost;
    }
    out.write(useSecond ? 1 : 0, 1);
    if (useSecond) {
      out.writeVar(zigzag(d1[1]));
      secondPlan.write(out);
    } else {
      firstPlan.write(out);
    }
  }
  out.writeVar(exceptionCount);
  const words = wordsOf(v);
  let last = 0;
  for (let k = 0; k < exceptionCount; k++) {
    const i = exceptions[k];
    out.writeVar(i - last);
    last = i;
    out.write(words[2 * i + 1], 32);
    out.write(words[2 * i], 32);
  }
}

/**
 * Decodes n values into v. Only v[from..to) is guaranteed: a caller that needs a window (and
 * decodes into scratch space) saves the scaling of the mantissas outside it.
 */
export function decodeValues(input: BitReader, v: Float64Array, n: number, from = 0, to = n): void {
  if (input.read(1) === RAW) {
    decodeRaw(input, v, n);
    return;
  }
  const p = POW10[input.read(4)];
  const m = v; // mantissas are rebuilt in place, then scaled
  m[0] = unzigzag(input.readVar());
  if (n > 1) {
    // The running sums live in locals: reading back the element just stored would put a
    // store-to-load round trip on the loop's critical path.
    if (input.read(1) === 1) {
      m[1] = m[0] + unzigzag(input.readVar());
      readSigned(input, m, 2, n);
      let prev = m[0];
      let cur = m[1];
      for (let i = 2; i < n; i++) {
        const next = 2 * cur - prev + m[i];
        m[i] = next;
        prev = cur;
        cur = next;
      }
    } else {
      readSigned(input, m, 1, n);
      let sum = m[0];
      for (let i = 1; i < n; i++) {
        sum += m[i];
        m[i] = sum;
      }
    }
  }
  // Division, not multiplication by 1/p: the encoder verified m / p, bit for bit.
  if (p !== 1) for (let i = from; i < to; i++) m[i] = m[i] / p;
  const count = input.readVar();
  if (count === 0) return;
  const words = wordsOf(v);
  let at = 0;
  for (let k = 0; k < count; k++) {
    at += input.readVar();
    if (at >= n) throw new RangeError('chunk exception index out of range');
    words[2 * at + 1] = input.read(32);
    words[2 * at] = input.read(32);
  }
}

function encodeRaw(out: BitWriter, v: Float64Array, n: number): void {
  const words = wordsOf(v);
  let hi = -1;
  let lo = -1;
  for (let i = 0; i < n; i++) {
    if (words[2 * i + 1] === hi && words[2 * i] === lo) {
      out.write(1, 1);
      continue;
    }
    hi = words[2 * i + 1];
    lo = words[2 * i];
    out.write(0, 1);
    out.write(hi, 32);
    out.write(lo, 32);
  }
}

function decodeRaw(input: BitReader, v: Float64Array, n: number): void {
  const words = wordsOf(v);
  for (let i = 0; i < n; i++) {
    if (input.read(1) === 1) {
      if (i === 0) throw new RangeError('chunk repeats a value before the first one');
      words[2 * i] = words[2 * i - 2];
      words[2 * i + 1] = words[2 * i - 1];
      continue;
    }
    words[2 * i + 1] = input.read(32);
    words[2 * i] = input.read(32);
  }
}
