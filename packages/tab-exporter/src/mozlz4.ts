/**
 * Firefox's mozlz4 container: the 8-byte magic `mozLz40\0`, the decompressed size as a
 * little-endian uint32, then one raw LZ4 block. Pure: bytes in, bytes out.
 */
import { compressBlock, compressBound, decompressBlock } from 'lz4js';

export const MOZLZ4_MAGIC = Uint8Array.from([0x6d, 0x6f, 0x7a, 0x4c, 0x7a, 0x34, 0x30, 0x00]);
const HEADER_BYTES = 12;
const MIN_MATCH = 4;

/** Default ceiling on the decompressed size: far above any real session, far below a bad header's 4 GiB. */
export const DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024;

export class MozLz4Error extends Error {
  override name = 'MozLz4Error';
}

export function hasMozLz4Magic(bytes: Uint8Array): boolean {
  if (bytes.length < MOZLZ4_MAGIC.length) return false;
  for (let i = 0; i < MOZLZ4_MAGIC.length; i++) if (bytes[i] !== MOZLZ4_MAGIC[i]) return false;
  return true;
}

/** Reads an LZ4 length extension (bytes of 255 continue it); returns [length, next index]. */
function readLengthExtension(src: Uint8Array, pos: number, end: number, base: number): [number, number] {
  let length = base;
  for (;;) {
    if (pos >= end) throw new MozLz4Error('corrupt LZ4 block: length runs past the end of the file');
    const b = src[pos++];
    length += b;
    if (b !== 255) return [length, pos];
  }
}

/**
 * Walks the block's sequences without copying anything and proves that decoding stays inside
 * both buffers and produces exactly `expected` bytes. lz4js decodes without bounds checks, so a
 * corrupt block would otherwise turn into silent zeros instead of an error.
 */
export function checkLz4Block(src: Uint8Array, start: number, end: number, expected: number): void {
  let pos = start;
  let produced = 0;
  while (pos < end) {
    const token = src[pos++];
    let literals = token >>> 4;
    if (literals === 15) [literals, pos] = readLengthExtension(src, pos, end, literals);
    if (pos + literals > end)
      throw new MozLz4Error('corrupt LZ4 block: literals run past the end of the file');
    pos += literals;
    produced += literals;
    if (produced > expected) break;
    if (pos === end) break; // the last sequence carries literals only
    if (pos + 2 > end) throw new MozLz4Error('corrupt LZ4 block: truncated match offset');
    const offset = src[pos] | (src[pos + 1] << 8);
    pos += 2;
    if (offset === 0 || offset > produced) {
      throw new MozLz4Error(`corrupt LZ4 block: match offset ${offset} points before the start of the data`);
    }
    let matchLength = token & 15;
    if (matchLength === 15) [matchLength, pos] = readLengthExtension(src, pos, end, matchLength);
    produced += matchLength + MIN_MATCH;
    if (produced > expected) break;
  }
  if (produced !== expected) {
    throw new MozLz4Error(
      `corrupt LZ4 block: it decodes to ${produced > expected ? 'more than' : produced} bytes but the header says ${expected}`,
    );
  }
}

/** The decompressed size from the header, after checking magic and cap. */
export function readMozLz4Header(bytes: Uint8Array, maxDecodedBytes = DEFAULT_MAX_DECODED_BYTES): number {
  if (bytes.length < HEADER_BYTES || !hasMozLz4Magic(bytes)) {
    throw new MozLz4Error('not a mozlz4 file: it does not start with "mozLz40\\0"');
  }
  const size = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 0x1000000;
  if (size > maxDecodedBytes) {
    throw new MozLz4Error(
      `mozlz4 header claims ${size} decompressed bytes, over the limit of ${maxDecodedBytes} (raise --firefox.max-session-bytes if this session is real)`,
    );
  }
  return size;
}

/**
 * Decodes a whole mozlz4 file. Throws MozLz4Error on a wrong magic, an oversized header or a
 * corrupt block. With `scratch` big enough, the result is a view into it (valid until the
 * scratch is reused) instead of a new allocation.
 */
export function decodeMozLz4(
  bytes: Uint8Array,
  maxDecodedBytes = DEFAULT_MAX_DECODED_BYTES,
  scratch?: Uint8Array,
): Uint8Array {
  const size = readMozLz4Header(bytes, maxDecodedBytes);
  checkLz4Block(bytes, HEADER_BYTES, bytes.length, size);
  const out = scratch && scratch.length >= size ? scratch.subarray(0, size) : new Uint8Array(size);
  decompressBlock(bytes, out, HEADER_BYTES, bytes.length - HEADER_BYTES, 0);
  return out;
}

/** A block of literals only: valid LZ4 for any input, used when lz4js finds nothing to compress. */
function literalsOnlyBlock(data: Uint8Array): Uint8Array<ArrayBufferLike> {
  const lengthBytes = data.length >= 15 ? 1 + Math.floor((data.length - 15) / 255) + 1 : 0;
  const block = new Uint8Array(1 + lengthBytes + data.length);
  let pos = 0;
  if (data.length >= 15) {
    block[pos++] = 0xf0;
    let rest = data.length - 15;
    for (; rest >= 255; rest -= 255) block[pos++] = 255;
    block[pos++] = rest;
  } else {
    block[pos++] = data.length << 4;
  }
  block.set(data, pos);
  return block.subarray(0, pos + data.length);
}

/** Encodes bytes as a mozlz4 file that Firefox can read. */
export function encodeMozLz4(data: Uint8Array): Uint8Array {
  const scratch = new Uint8Array(compressBound(data.length) + 16);
  let blockLength =
    data.length > 0 ? compressBlock(data, scratch, 0, data.length, new Uint32Array(1 << 16)) : 0;
  let block: Uint8Array<ArrayBufferLike> = scratch.subarray(0, blockLength);
  if (blockLength === 0) {
    block = literalsOnlyBlock(data);
    blockLength = block.length;
  }
  const out = new Uint8Array(HEADER_BYTES + blockLength);
  out.set(MOZLZ4_MAGIC, 0);
  new DataView(out.buffer).setUint32(8, data.length, true);
  out.set(block, HEADER_BYTES);
  return out;
}
