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

export function encodeChunk(t: Float64Array, v: Float64Array, n = t.length): Uint8Array {
  if (n <= 0) throw new RangeError('cannot encode an empty chunk');
  const out = new BitWriter(16 + n * 2);
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

// Scratch space for decodeChunkWindow; the codec is synchronous, so one pair per process is safe.
let scratchT = new Float64Array(256);
let scratchV = new Float64Array(256);

/**
 * The samples of the chunk in bytes[start..end) with mint <= t <= maxt, as fresh arrays. The
 * chunk is decoded into scratch space and only the window is copied out: a five-minute lookback
 * over a 240-sample chunk allocates 20 samples, not 240.
 */
export function decodeChunkWindow(
  bytes: Uint8Array,
  firstTimestamp: number,
  mint: number,
  maxt: number,
  start = 0,
  end = bytes.length,
): DecodedChunk {
  const input = new BitReader(bytes, start, end);
  const n = readCount(input);
  if (scratchT.length < n) {
    scratchT = new Float64Array(n);
    scratchV = new Float64Array(n);
  }
  const t = scratchT;
  decodeTimestamps(input, t, n, firstTimestamp);
  let a = 0;
  while (a < n && t[a] < mint) a++;
  let b = n;
  while (b > a && t[b - 1] > maxt) b--;
  decodeValues(input, scratchV, n, a, b);
  return { t: t.slice(a, b), v: scratchV.slice(a, b) };
}

function readCount(input: BitReader): number {
  const format = input.read(4);
  if (format !== CHUNK_FORMAT_V1) throw new RangeError(`unknown chunk format ${format}`);
  const n = input.readVar();
  if (n <= 0 || n > MAX_CHUNK_SAMPLES) throw new RangeError(`implausible chunk sample count ${n}`);
  return n;
}
