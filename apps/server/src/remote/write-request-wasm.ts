import { align8, ensureMemory, MAX_MODULE_BYTES, SPARE_BYTES } from './remote-write-module.js';
import { decodeSnappyInModule, SnappyError } from './snappy.js';
import { type DecodedWriteRequest, type DecodeScratch, decodeWriteRequest } from './write-request.js';

/** The arrays `walk` fills per series, in this order (see remote-write.wat). */
const SERIES_ARRAYS = 7;

/**
 * Decodes a remote write body (snappy block + protobuf WriteRequest) in the WebAssembly module:
 * snappy, then a walk over the WriteRequest that fills the series and sample arrays in the same
 * memory. The result is views of that memory, valid until the next decode (the caller stores it
 * synchronously). Requests of a shape the walk leaves alone (labels after samples, negative
 * timestamps, damage) are decoded by decodeWriteRequest, which also names what is wrong. The
 * body may be given in pieces, as read from the socket.
 */
export function decodeRemoteWrite(
  body: Uint8Array | readonly Uint8Array[],
  maxDecodedBytes: number,
  scratch?: DecodeScratch,
): DecodedWriteRequest {
  const { module, start, length } = decodeSnappyInModule(body, maxDecodedBytes);
  const end = start + length;
  const arrays = align8(end + SPARE_BYTES);
  // First guesses (most bodies need far less): a series takes 20 bytes or more, a sample 2.
  let capS = Math.max(16, length >>> 6);
  let capN = Math.max(64, length >>> 4);
  for (;;) {
    const tOut = align8(arrays + SERIES_ARRAYS * 4 * capS);
    const vOut = tOut + 8 * capN;
    const total = vOut + 8 * capN;
    if (total > MAX_MODULE_BYTES) {
      throw new SnappyError(`remote write body of ${length} bytes is larger than the decoder's 2 GiB limit`);
    }
    ensureMemory(module, total);
    const nSeries = module.walk(start, end, arrays, capS, tOut, vOut, capN);
    const memory = module.memory.buffer;
    if (nSeries === -2) capS *= 4;
    else if (nSeries === -3) capN *= 4;
    else if (nSeries < 0) return decodeWriteRequest(Buffer.from(memory, start, length), scratch);
    else {
      const series = (k: number) => new Int32Array(memory, arrays + k * 4 * capS, nSeries);
      const nSamples = module.samples.value;
      return {
        buf: Buffer.from(memory, start, length),
        seriesCount: nSeries,
        seriesStart: series(0),
        seriesEnd: series(1),
        sampleFrom: series(2),
        sampleTo: series(3),
        rawStart: series(4),
        rawEnd: series(5),
        rawHash: series(6),
        keys: [],
        t: new Float64Array(memory, tOut, nSamples),
        v: new Float64Array(memory, vOut, nSamples),
        sampleCount: nSamples,
      };
    }
  }
}
