import {
  align8,
  ensureMemory,
  MAX_MODULE_BYTES,
  type RemoteWriteModule,
  remoteWriteModule,
  SPARE_BYTES,
} from './remote-write-module.js';

/**
 * Snappy block format decoder (the framing-less format remote write uses). The byte work runs in
 * the remote write WebAssembly module (remote-write.wat): bodies decode 4-5x faster there than in
 * the JavaScript loops it replaced (8-byte word copies, no call per copy). Every length and offset
 * is checked, so hostile input ends in a SnappyError, never in an out-of-bounds access or a huge
 * allocation.
 */

export class SnappyError extends Error {
  override name = 'SnappyError';
}

const ERRORS: Record<number, string> = {
  [-1]: 'truncated literal length',
  [-2]: 'literal overruns its buffer',
  [-3]: 'truncated copy',
  [-4]: 'copy offset outside the output',
  [-5]: 'copy overruns the announced length',
};

function readHeader(src: Uint8Array): { length: number; pos: number } {
  let length = 0;
  let shift = 1;
  for (let pos = 0; pos < 5 && pos < src.length; pos++) {
    const b = src[pos];
    length += (b & 0x7f) * shift;
    if (b < 0x80) return { length, pos: pos + 1 };
    shift *= 128;
  }
  throw new SnappyError('invalid snappy header: unterminated length varint');
}

/** Where a decoded block sits in the module's memory (valid until the module's next use). */
export interface DecodedInModule {
  readonly module: RemoteWriteModule;
  readonly start: number;
  readonly length: number;
}

/**
 * Decodes a snappy block into the module's memory, after a copy of the compressed bytes. The
 * block may come in pieces (a request body as read from the socket): they are copied in one
 * after the other, which spares joining them first.
 */
export function decodeSnappyInModule(
  src: Uint8Array | readonly Uint8Array[],
  maxLength: number,
): DecodedInModule {
  const pieces = src instanceof Uint8Array ? [src] : src;
  let inLength = 0;
  for (const piece of pieces) inLength += piece.length;
  const start = align8(inLength + SPARE_BYTES);
  if (start > MAX_MODULE_BYTES) {
    throw new SnappyError(`snappy block of ${inLength} bytes is larger than the decoder's 2 GiB limit`);
  }
  const module = remoteWriteModule();
  ensureMemory(module, start);
  const input = new Uint8Array(module.memory.buffer, 0, start);
  let at = 0;
  for (const piece of pieces) {
    input.set(piece, at);
    at += piece.length;
  }
  const { length, pos } = readHeader(input.subarray(0, Math.min(inLength, 5)));
  if (length > maxLength) {
    throw new SnappyError(`snappy header announces ${length} bytes, more than the limit of ${maxLength}`);
  }
  const total = start + length + SPARE_BYTES;
  if (total > MAX_MODULE_BYTES) {
    throw new SnappyError(`snappy block of ${length} bytes is larger than the decoder's 2 GiB limit`);
  }
  ensureMemory(module, total);
  const written = module.snappy(pos, inLength, start, start + length);
  if (written < 0) throw new SnappyError(`invalid snappy data: ${ERRORS[written]}`);
  if (written !== length) {
    throw new SnappyError(`invalid snappy data: decoded ${written} bytes, header announced ${length}`);
  }
  return { module, start, length };
}

/**
 * Decodes a snappy block into a Buffer that is a view of the decoder's memory: valid only until
 * the next call. Callers that finish with the bytes synchronously save a copy.
 */
export function decodeSnappyTransient(src: Uint8Array, maxLength: number): Buffer {
  const { module, start, length } = decodeSnappyInModule(src, maxLength);
  return Buffer.from(module.memory.buffer, start, length);
}

/** Decodes a snappy block into a Buffer of its own. */
export function decodeSnappy(src: Uint8Array, maxLength: number): Buffer {
  return Buffer.from(decodeSnappyTransient(src, maxLength));
}
