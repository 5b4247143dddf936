import { BitReader, BitWriter } from './bits.js';
import { decodeTimestamps, encodeTimestamps } from './timestamps.js';
import { decodeValues, encodeValues } from './values.js';

/**
 * A chunk: the samples of one series over a time range as one byte string (sample count,
 * timestamps, values). The first timestamp is not in it: the chunk's row keeps it (mint) and
 * passes it back to decodeChunk. Timestamps must be sorted, unique integers with |t| < 2^48.
 */

export const CHUNK_FORMAT_V1 = 1;
const MAX_CHUNK_SAMPLES = 1 << 20;

export interface DecodedChunk {
  t: Float64Array;
  v: Float64Array;
}

// One writer for every encoding (synchronous, so safe): bytes() copies out the result.
const writer = new BitWriter(1024);

export function encodeChunk(t: Float64Array, v: Float64Array, n = t.length): Uint8Array {
  if (n <= 0) throw new RangeError('cannot encode an empty chunk');
  const out = writer;
  out.reset();
  out.write(CHUNK_FORMAT_V1, 4);
  out.writeVar(n);
  encodeTimestamps(out, t, n);
  encodeValues(out, v, n);
  return out.bytes();
}

/** Decodes a chunk; throws RangeError on a truncated or foreign byte string. */
export function decodeChunk(bytes: Uint8Array, firstTimestamp: number): DecodedChunk {
  const input = new BitReader(bytes);
  const n = readCount(input);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  decodeTimestamps(input, t, n, firstTimestamp);
  decodeValues(input, v, n);
  return { t, v };
}

/** Receives decoded samples t/v[from..to); the arrays are scratch space, valid during the call. */
export interface SampleSink {
  add(t: Float64Array, v: Float64Array, from: number, to: number): void;
}

// Scratch space for decodeChunkInto; the codec is synchronous, so one pair per process is safe.
let scratchT = new Float64Array(256);
let scratchV = new Float64Array(256);
const reader = new BitReader(new Uint8Array(0));

/**
 * Passes to `sink` the samples with mint <= t <= maxt of the chunk in bytes[start..end), if any.
 * The chunk is decoded into scratch space and only the window's values are scaled: the sink
 * copies what it keeps, so a five-minute lookback over a 240-sample chunk allocates nothing.
 */
export function decodeChunkInto(
  bytes: Uint8Array,
  firstTimestamp: number,
  mint: number,
  maxt: number,
  sink: SampleSink,
  start = 0,
  end = bytes.length,
): void {
  const input = reader;
  input.reset(bytes, start, end);
  const n = readCount(input);
  if (scratchT.length < n) {
    scratchT = new Float64Array(n);
    scratchV = new Float64Array(n);
  }
  const t = scratchT;
  // t[0..first) may be left undecoded: they are before mint.
  const first = decodeTimestamps(input, t, n, firstTimestamp, mint);
  const a = lowerBound(t, first, n, mint);
  let b = n;
  while (b > a && t[b - 1] > maxt) b--;
  if (a === b) return;
  decodeValues(input, scratchV, n, a, b);
  sink.add(t, scratchV, a, b);
}

/** The first index in t[from..to) (sorted) with t[i] >= x, or `to`. */
function lowerBound(t: Float64Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function readCount(input: BitReader): number {
  const format = input.read(4);
  if (format !== CHUNK_FORMAT_V1) throw new RangeError(`unknown chunk format ${format}`);
  const n = input.readVar();
  if (n <= 0 || n > MAX_CHUNK_SAMPLES) throw new RangeError(`implausible chunk sample count ${n}`);
  return n;
}
