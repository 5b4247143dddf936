import { decodeChunkInto, type SampleSink } from './chunk.js';

/**
 * A segment: several chunks of one series in one database row, so that the per-row costs of
 * SQLite (record header, rowid, index entry, page slack) are paid once per segment instead of
 * once per chunk. Layout: varint count, then per chunk varint (mint - first mint) and varint
 * byte length, then the chunks' bytes back to back.
 */
export interface SegmentChunk {
  mint: number;
  data: Uint8Array;
}

export function encodeSegment(chunks: readonly SegmentChunk[]): Uint8Array {
  if (chunks.length === 0) throw new RangeError('cannot encode an empty segment');
  const head: number[] = [];
  const varint = (x: number) => {
    while (x >= 0x80) {
      head.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    head.push(x);
  };
  varint(chunks.length);
  const base = chunks[0].mint;
  let body = 0;
  for (const c of chunks) {
    if (c.mint < base) throw new RangeError('segment chunks must be in time order');
    varint(c.mint - base);
    varint(c.data.length);
    body += c.data.length;
  }
  const out = new Uint8Array(head.length + body);
  out.set(head);
  let at = head.length;
  for (const c of chunks) {
    out.set(c.data, at);
    at += c.data.length;
  }
  return out;
}

/** The chunks of a segment whose row starts at `mint`; views into `bytes`, not copies. */
export function decodeSegment(bytes: Uint8Array, mint: number): SegmentChunk[] {
  let pos = 0;
  const varint = (): number => {
    let x = 0;
    let mul = 1;
    while (true) {
      if (pos >= bytes.length) throw new RangeError('segment is truncated');
      const b = bytes[pos++];
      x += (b & 0x7f) * mul;
      if (b < 0x80) return x;
      mul *= 128;
    }
  };
  const count = varint();
  if (count === 0 || count > bytes.length) throw new RangeError(`implausible segment chunk count ${count}`);
  const dir: Array<{ mint: number; length: number }> = [];
  for (let i = 0; i < count; i++) {
    const offset = varint();
    dir.push({ mint: mint + offset, length: varint() });
  }
  const out: SegmentChunk[] = [];
  for (const d of dir) {
    if (pos + d.length > bytes.length) throw new RangeError('segment chunk overruns the segment');
    out.push({ mint: d.mint, data: bytes.subarray(pos, pos + d.length) });
    pos += d.length;
  }
  return out;
}

// Directory scratch for decodeSegmentInto (synchronous, so one set per process is safe).
let dirMint = new Float64Array(8);
let dirStart = new Int32Array(8);
let dirEnd = new Int32Array(8);

/**
 * Passes to `sink`, oldest first, the samples in [mint, maxt] of the segment in
 * bytes[start..end) whose row starts at `rowMint`: chunks outside the window are not decoded,
 * and no view or directory object is made per chunk.
 */
export function decodeSegmentInto(
  bytes: Uint8Array,
  rowMint: number,
  mint: number,
  maxt: number,
  sink: SampleSink,
  start = 0,
  end = bytes.length,
): void {
  // No closure over the position: this runs once per row of a scan over thousands of series.
  cursor = start;
  const count = readVarint(bytes, end);
  if (count === 0 || count > end - start) throw new RangeError(`implausible segment chunk count ${count}`);
  if (dirMint.length < count) {
    dirMint = new Float64Array(count);
    dirStart = new Int32Array(count);
    dirEnd = new Int32Array(count);
  }
  for (let i = 0; i < count; i++) {
    dirMint[i] = rowMint + readVarint(bytes, end);
    dirEnd[i] = readVarint(bytes, end);
  }
  let pos = cursor;
  for (let i = 0; i < count; i++) {
    const length = dirEnd[i];
    if (pos + length > end) throw new RangeError('segment chunk overruns the segment');
    dirStart[i] = pos;
    dirEnd[i] = pos + length;
    pos += length;
  }
  for (let i = 0; i < count; i++) {
    if (dirMint[i] > maxt) break;
    // A chunk ends before the next one starts: skip it when the next starts at or before mint.
    if (i + 1 < count && dirMint[i + 1] <= mint) continue;
    decodeChunkInto(bytes, dirMint[i], mint, maxt, sink, dirStart[i], dirEnd[i]);
  }
}

/** Read position of readVarint() (decoding is synchronous, so one per process is safe). */
let cursor = 0;

function readVarint(bytes: Uint8Array, end: number): number {
  let x = 0;
  let mul = 1;
  while (true) {
    if (cursor >= end) throw new RangeError('segment is truncated');
    const b = bytes[cursor++];
    x += (b & 0x7f) * mul;
    if (b < 0x80) return x;
    mul *= 128;
  }
}
