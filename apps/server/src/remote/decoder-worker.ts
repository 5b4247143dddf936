import { parentPort } from 'node:worker_threads';
import { decodeSnappy } from './snappy.js';
import { type DecodedWriteRequest, type DecodeScratch, decodeWriteRequest } from './write-request.js';

/**
 * The thread behind DecoderThread: decodes remote write bodies and hands the decoded arrays back
 * by transfer (no copy). Errors go back as their class name and message.
 */
export type DecoderJob =
  | { id: number; kind: 'decode'; body: Uint8Array; maxDecodedBytes: number }
  | { id: number; kind: 'recycle'; buffers: RecycledBuffers };

/** The arrays of a decoded request the main thread is done with, back for the next decode. */
export interface RecycledBuffers {
  raw: ArrayBuffer;
  t: Float64Array;
  v: ArrayBuffer;
}

export type DecoderAnswer = (
  | { id: number; request: DecodedWriteRequest }
  | { id: number; error: { name: string; message: string } }
) & { spent?: ArrayBuffer };

interface Scratch {
  snappy: { buffer: Buffer };
  decode: DecodeScratch;
}

/** Buffers the main thread gave back: a request decodes into them instead of new ones. */
const pool: Scratch[] = [];
const POOL_SIZE = 4;

const port = parentPort;
if (port) {
  port.on('message', (job: DecoderJob) => {
    if (job.kind === 'recycle') {
      const { raw, t, v } = job.buffers;
      if (pool.length < POOL_SIZE)
        pool.push({ snappy: { buffer: Buffer.from(raw) }, decode: { t, vBytes: new Uint8Array(v) } });
      return;
    }
    let answer: DecoderAnswer;
    let transfer: ArrayBuffer[] = [];
    const scratch = pool.pop() ?? newScratch();
    try {
      const raw = decodeSnappy(job.body, job.maxDecodedBytes, scratch.snappy);
      const request = decodeWriteRequest(raw, scratch.decode);
      transfer = buffersOf(request);
      answer = { id: job.id, request };
    } catch (e) {
      pool.push(scratch);
      const err = e as Error;
      answer = { id: job.id, error: { name: err.name, message: err.message } };
    }
    // The body goes back too: this thread allocates little, so its garbage collector runs rarely,
    // and bodies left here would hold their memory until it does. The main thread collects often.
    const spent = job.body.buffer as ArrayBuffer;
    if (!transfer.includes(spent)) {
      answer.spent = spent;
      transfer.push(spent);
    }
    port.postMessage(answer, transfer);
  });
}

function newScratch(): Scratch {
  return {
    snappy: { buffer: Buffer.alloc(0) },
    decode: { t: new Float64Array(1024), vBytes: new Uint8Array(8192) },
  };
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
