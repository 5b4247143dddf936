import { type BitReader, type BitWriter, bitLength, unzigzag } from './bits.js';
import { scratchArray } from './scratch.js';

/**
 * A run of non-negative integers packed one of two ways, whichever is smaller:
 * - fixed width: every value in w bits. Values that do not fit (and the all-ones escape code
 *   itself) are written as the escape code, 6 bits of length and the value, so one outlier (a
 *   missed scrape, a counter reset) does not widen every other value.
 * - radix: all values below R, k of them per group written as one base-R number. Scrape jitter
 *   of +-2 ms has 5 possible residuals: 3 per 7 bits instead of 3 bits each.
 */

const MAX_BITS = 54;
/** The width field's value that announces radix packing. */
const RADIX = 63;
const MAX_RADIX = 1 << 16;
const ALL_ONES = Array.from({ length: MAX_BITS + 1 }, (_, b) => 2 ** b - 1);
// Scratch space for choosePacking; the codec is synchronous, so one set per process is safe.
const hist = new Int32Array(MAX_BITS + 1);
const allOnes = new Int32Array(MAX_BITS + 1);
const costAbove = new Float64Array(MAX_BITS + 2);

/** radixGroup(r), memoised per radix as (k << 8) | bits; 0 until first needed. */
const radixGroups = new Int32Array(MAX_RADIX);

export interface Packing {
  /** Bit width, or RADIX. */
  width: number;
  /** Size in bits, header included. */
  cost: number;
  /** For RADIX: the base. */
  radix: number;
}

/** Values per group and bits per group for radix packing in base r (r^k stays below 2^32). */
function radixGroup(r: number): { k: number; bits: number } {
  let best = { k: 1, bits: bitLength(r - 1) };
  let power = r;
  for (let k = 2; power * r <= 4294967296; k++) {
    power *= r;
    const bits = bitLength(power - 1);
    if (bits / k < best.bits / best.k) best = { k, bits };
  }
  return best;
}

/** radixGroup(r) as (k << 8) | bits, computed once per radix. */
function memoisedRadixGroup(r: number): number {
  let group = radixGroups[r];
  if (group === 0) {
    const g = radixGroup(r);
    group = (g.k << 8) | g.bits;
    radixGroups[r] = group;
  }
  return group;
}

/** The cheapest packing for `values[from..to)`. */
export function choosePacking(values: Float64Array, from: number, to: number): Packing {
  hist.fill(0);
  allOnes.fill(0);
  let max = 0;
  for (let i = from; i < to; i++) {
    const x = values[i];
    if (x > max) max = x;
    // x === 2^b - 1 means every bit of x is set: it collides with the escape code at width b.
    if (x < 2147483648) {
      // The common case in integer arithmetic: x & (x + 1) is 0 exactly when all bits are set.
      const xi = x | 0;
      const b = 32 - Math.clz32(xi);
      hist[b]++;
      if ((xi & (xi + 1)) === 0) allOnes[b]++;
    } else {
      const b = bitLength(x);
      hist[b]++;
      if (x === ALL_ONES[b]) allOnes[b]++;
    }
  }
  const top = bitLength(max);
  const n = to - from;
  let best = 0;
  let bestCost = n === hist[0] ? 0 : Number.POSITIVE_INFINITY;
  // Cost of the exceptions above width w, accumulated from the top down.
  let above = 0;
  costAbove[top + 1] = 0;
  for (let b = top; b >= 0; b--) {
    costAbove[b] = above;
    above += hist[b] * (6 + b);
  }
  // A width above the widest value never pays: every value fits below it already.
  const widest = Math.min(MAX_BITS, top + 1);
  for (let w = 1; w <= widest; w++) {
    const cost = n * w + costAbove[w] + allOnes[w] * (6 + w);
    if (cost < bestCost) {
      bestCost = cost;
      best = w;
    }
  }
  const r = max + 1;
  if (max > 0 && r < MAX_RADIX) {
    const group = memoisedRadixGroup(r);
    const cost = Math.ceil(n / (group >>> 8)) * (group & 0xff) + 6 + bitLength(r);
    if (cost < bestCost) return { width: RADIX, cost: cost + 6, radix: r };
  }
  return { width: best, cost: bestCost + 6, radix: 0 };
}

export function writePacked(
  out: BitWriter,
  values: Float64Array,
  from: number,
  to: number,
  packing = choosePacking(values, from, to),
): void {
  const width = packing.width;
  out.write(width, 6);
  if (width === 0) return;
  if (width === RADIX) {
    const r = packing.radix;
    out.writeVar(r);
    const group = memoisedRadixGroup(r);
    const k = group >>> 8;
    const bits = group & 0xff;
    for (let i = from; i < to; i += k) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc = acc * r + (i + j < to ? values[i + j] : 0);
      out.write(acc, bits);
    }
    return;
  }
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

/**
 * Reads a packed run into into[from..to) and returns the index from which it was decoded: `from`,
 * or for a radix-packed run the start of the group holding index `needed`, the groups before it
 * skipped (other packings are decoded whole).
 */
export function readPacked(
  input: BitReader,
  into: Float64Array,
  from: number,
  to: number,
  needed = from,
): number {
  const width = input.read(6);
  if (width === 0) {
    into.fill(0, from, to);
    return from;
  }
  if (width === RADIX) {
    const r = input.readVar();
    if (r < 2 || r >= MAX_RADIX) throw new RangeError(`chunk has an invalid radix ${r}`);
    return readRadix(input, into, from, to, r, needed);
  }
  if (width > MAX_BITS) throw new RangeError(`chunk has an invalid bit width ${width}`);
  const escapeCode = 2 ** width - 1;
  if (width <= 25) {
    input.readFixed(into, from, to, width, escapeCode);
    return from;
  }
  for (let i = from; i < to; i++) {
    const x = input.readWide(width);
    into[i] = x === escapeCode ? input.readWide(input.read(6)) : x;
  }
  return from;
}

/**
 * Radix-packed values: groups of k base-r digits, the last one padded with zero digits after `to`.
 * A group is below 2^32, so (acc / r) >>> 0 is its exact integer quotient (a rounded quotient
 * never reaches the next integer) without a floating-point remainder. Groups wholly before
 * `needed` are skipped; returns the first decoded index.
 */
function readRadix(
  input: BitReader,
  into: Float64Array,
  from: number,
  to: number,
  r: number,
  needed: number,
): number {
  const group = memoisedRadixGroup(r);
  const k = group >>> 8;
  const bits = group & 0xff;
  const skipped = needed > from ? Math.floor((Math.min(needed, to) - from) / k) : 0;
  input.skip(skipped * bits);
  const first = from + skipped * k;
  if ((r & (r - 1)) === 0) {
    // A power of two: digits are bit fields.
    const shift = 31 - Math.clz32(r);
    const mask = r - 1;
    for (let i = first; i < to; i += k) {
      let acc = input.read(bits);
      for (let j = i + k - 1; j >= i; j--) {
        if (j < to) into[j] = acc & mask;
        acc >>>= shift;
      }
    }
    return first;
  }
  for (let i = first; i < to; i += k) {
    let acc = input.read(bits);
    for (let j = i + k - 1; j >= i; j--) {
      const q = (acc / r) >>> 0;
      if (j < to) into[j] = acc - q * r;
      acc = q;
    }
  }
  return first;
}

/**
 * A plan for a run of signed integers (|x| < 2^52): either zigzag (small values of both signs,
 * rare outliers of either sign) or an offset from the run's minimum (values that sit in a band:
 * counter increments, jitter around a grid), whichever is smaller. A plan keeps its codes in its
 * own scratch arrays until written, so two plans (say grid and delta-of-delta) can be compared.
 */
export class SignedPlan {
  /** Size in bits of the planned run. */
  cost = 0;
  private n = 0;
  private offset = false;
  private base = 0;
  private codes: Float64Array = new Float64Array(0);
  private packing: Packing = { width: 0, cost: 0, radix: 0 };

  constructor(
    private readonly zigzagSlot: number,
    private readonly offsetSlot: number,
  ) {}

  /** Plans values[from..to) and returns the cost in bits. */
  plan(values: Float64Array, from: number, to: number): number {
    const n = to - from;
    const zz = scratchArray(this.zigzagSlot, n);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const x = values[from + i];
      zz[i] = x >= 0 ? x * 2 : -x * 2 - 1;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const zzChoice = choosePacking(zz, 0, n);
    this.n = n;
    this.offset = false;
    this.codes = zz;
    this.packing = zzChoice;
    this.cost = zzChoice.cost + 1;
    // The offset form can only win when the band max - min packs tighter than zigzag did;
    // otherwise skip the second pass (outliers make the band wide and zigzag + escapes wins).
    if (n === 0 || zzChoice.width === 0 || n * Math.log2(max - min + 1) + 12 >= zzChoice.cost)
      return this.cost;
    const off = scratchArray(this.offsetSlot, n);
    for (let i = 0; i < n; i++) off[i] = values[from + i] - min;
    const offChoice = choosePacking(off, 0, n);
    const base = min >= 0 ? min * 2 : -min * 2 - 1;
    const offCost = offChoice.cost + 6 + bitLength(base);
    if (zzChoice.cost <= offCost) return this.cost;
    this.offset = true;
    this.base = base;
    this.codes = off;
    this.packing = offChoice;
    this.cost = offCost + 1;
    return this.cost;
  }

  write(out: BitWriter): void {
    if (this.offset) {
      out.write(1, 1);
      out.writeVar(this.base);
    } else {
      out.write(0, 1);
    }
    writePacked(out, this.codes, 0, this.n, this.packing);
  }
}

/**
 * Reads a signed run (see planSigned) into into[from..to); returns the index from which it was
 * decoded. For grid residuals (value i stands for origin + i * step + x) give origin, step and
 * `min`: radix-packed groups whose values cannot reach `min` are skipped.
 */
export function readSigned(
  input: BitReader,
  into: Float64Array,
  from: number,
  to: number,
  origin = 0,
  step = 0,
  min = Number.NEGATIVE_INFINITY,
): number {
  const offset = input.read(1) === 1;
  const base = offset ? unzigzag(input.readVar()) : 0;
  if (input.peek(6) === 0) {
    // Width 0: every value is the base (a constant gauge's deltas, a perfect grid).
    input.skip(6);
    into.fill(base, from, to);
    return from;
  }
  let needed = from;
  if (step > 0 && min > origin) {
    const at = input.position;
    if (input.read(6) === RADIX) {
      // Radix codes are below r: offsets within [base, base + r - 1], zigzag values within +-r/2.
      const r = input.readVar();
      const hi = offset ? base + r - 1 : Math.ceil(r / 2);
      // origin + i * step + x <= origin + i * step + hi < min for every i below this.
      needed = Math.max(from, Math.floor((min - origin - hi) / step));
    }
    input.seek(at);
  }
  const first = readPacked(input, into, from, to, needed);
  if (offset) {
    for (let i = first; i < to; i++) into[i] += base;
    return first;
  }
  for (let i = first; i < to; i++) {
    const z = into[i];
    // Integer ops while z fits in 31 bits (nearly always), float arithmetic beyond.
    into[i] = z < 0x80000000 ? (z >>> 1) ^ -(z & 1) : z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  return first;
}
