import { parentPort } from 'node:worker_threads';
import { decodeSnappy } from '../remote/snappy.js';
import { type DecodedWriteRequest, decodeWriteRequest } from '../remote/write-request.js';
import { encodeChunk } from '../storage/chunkenc/chunk.js';

/**
 * The thread behind CodecThread: decodes remote write bodies and encodes sealed chunks, and hands
 * the results back by transfer (no copy). Errors go back as their class name and message.
 */
export type CodecJob =
  | { id: number; kind: 'decode'; body: Uint8Array; maxDecodedBytes: number }
  | { id: number; kind: 'encode'; chunks: PackedChunks };

/** Chunks to encode, packed: chunk i has samples t/v[offsets[i] .. offsets[i + 1]). */
export interface PackedChunks {
  offsets: Int32Array;
  t: Float64Array;
  v: Float64Array;
}

/** Encoded chunks, packed: chunk i is bytes[offsets[i] .. offsets[i + 1]). */
export interface EncodedChunks {
  offsets: Int32Array;
  bytes: Uint8Array;
}

export type CodecAnswer =
  | { id: number; request: DecodedWriteRequest }
  | { id: number; encoded: EncodedChunks }
  | { id: number; error: { name: string; message: string } };

const port = parentPort;
if (port) {
  port.on('message', (job: CodecJob) => {
    let answer: CodecAnswer;
    let transfer: ArrayBuffer[] = [];
    try {
      if (job.kind === 'decode') {
        const request = decodeWriteRequest(ownBuffer(decodeSnappy(job.body, job.maxDecodedBytes)));
        transfer = buffersOf(request);
        answer = { id: job.id, request };
      } else {
        const encoded = encodePacked(job.chunks);
        transfer = [encoded.offsets.buffer as ArrayBuffer, encoded.bytes.buffer as ArrayBuffer];
        answer = { id: job.id, encoded };
      }
    } catch (e) {
      const err = e as Error;
      answer = { id: job.id, error: { name: err.name, message: err.message } };
    }
    port.postMessage(answer, transfer);
  });
}

export function encodePacked(chunks: PackedChunks): EncodedChunks {
  const n = chunks.offsets.length - 1;
  const parts: Uint8Array[] = [];
  const offsets = new Int32Array(n + 1);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const a = chunks.offsets[i];
    const b = chunks.offsets[i + 1];
    const bytes = encodeChunk(chunks.t.subarray(a, b), chunks.v.subarray(a, b));
    parts.push(bytes);
    size += bytes.length;
    offsets[i + 1] = size;
  }
  const bytes = new Uint8Array(size);
  for (let i = 0; i < n; i++) bytes.set(parts[i], offsets[i]);
  return { offsets, bytes };
}

/** Small Buffers share Node's allocation pool; transferring that pool would break this thread. */
function ownBuffer(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return b;
  const own = Buffer.from(new ArrayBuffer(b.length));
  b.copy(own);
  return own;
}

function buffersOf(r: DecodedWriteRequest): ArrayBuffer[] {
  const arrays = [
    r.buf,
    r.rawStart,
    r.rawEnd,
    r.rawHash,
    r.seriesStart,
    r.seriesEnd,
    r.sampleFrom,
    r.sampleTo,
    r.t,
    r.v,
  ];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
