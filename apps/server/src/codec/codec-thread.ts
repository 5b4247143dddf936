import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SnappyError } from '../remote/snappy.js';
import { type DecodedWriteRequest, ProtobufError } from '../remote/write-request.js';
import type { CodecAnswer, CodecJob, EncodedChunks, PackedChunks } from './codec-worker.js';

const WORKER_FILE = new URL('./codec-worker.js', import.meta.url);

interface Waiter {
  resolve(answer: CodecAnswer): void;
  reject(e: Error): void;
}

/**
 * A second thread for the CPU-heavy codecs of ingest: decoding remote write bodies (snappy, then
 * protobuf) and encoding sealed chunks. On a machine with two cores the next request is decoded
 * and the last one's chunks are compressed while the event loop stores. Jobs run in the order
 * they are given. The thread starts on first use and is replaced if it dies; the jobs it had fail
 * with an error that says to retry.
 */
export class CodecThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  /** Whether the compiled worker file is there (it is not when running from TypeScript sources). */
  static available(): boolean {
    return existsSync(fileURLToPath(WORKER_FILE));
  }

  /** Decodes a remote write body; the body's memory is handed over when it owns its buffer. */
  async decodeRemoteWrite(body: Uint8Array, maxDecodedBytes: number): Promise<DecodedWriteRequest> {
    const owned = body.byteOffset === 0 && body.buffer.byteLength === body.length;
    const answer = await this.run(
      { id: 0, kind: 'decode', body, maxDecodedBytes },
      owned ? [body.buffer as ArrayBuffer] : [],
    );
    if (!('request' in answer)) throw new Error('codec thread answered a decode with something else');
    const b = answer.request.buf as Uint8Array;
    // The label bytes arrive as a Uint8Array; the storage compares them as a Buffer.
    return { ...answer.request, buf: Buffer.from(b.buffer, b.byteOffset, b.byteLength) };
  }

  /**
   * Encodes chunks. The samples are copied to the thread (the caller keeps reading them until the
   * bytes are back); the offsets array is handed over.
   */
  async encodeChunks(chunks: PackedChunks): Promise<EncodedChunks> {
    const answer = await this.run({ id: 0, kind: 'encode', chunks }, [chunks.offsets.buffer as ArrayBuffer]);
    if (!('encoded' in answer)) throw new Error('codec thread answered an encode with something else');
    return answer.encoded;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private run(job: CodecJob, transfer: ArrayBuffer[]): Promise<CodecAnswer> {
    const worker = this.ensureWorker();
    job.id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(job.id, { resolve, reject });
      // Referenced only while a job runs: an idle thread must not keep the process alive.
      if (this.waiting.size === 1) worker.ref();
      try {
        worker.postMessage(job, transfer);
      } catch (e) {
        // A body the thread cannot be handed (not cloneable): answer it, keep the thread.
        this.waiting.delete(job.id);
        if (this.waiting.size === 0) worker.unref();
        reject(e as Error);
      }
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // Its own allocations are small and short-lived (the results are transferred): a small young
    // generation keeps the thread's memory down.
    const w = new Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    w.unref();
    w.on('message', (answer: CodecAnswer) => this.settle(answer));
    w.on('error', (e) => this.fail(w, `codec thread failed: ${e.message}`));
    w.on('exit', (code) => this.fail(w, `codec thread exited with code ${code}`));
    this.worker = w;
    return w;
  }

  private settle(answer: CodecAnswer): void {
    const waiter = this.waiting.get(answer.id);
    if (!waiter) return;
    this.waiting.delete(answer.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if ('error' in answer) waiter.reject(asError(answer.error));
    else waiter.resolve(answer);
  }

  private fail(w: Worker, message: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    for (const waiter of this.waiting.values()) waiter.reject(new Error(`${message}; retry the request`));
    this.waiting.clear();
  }
}

function asError(e: { name: string; message: string }): Error {
  if (e.name === 'SnappyError') return new SnappyError(e.message);
  if (e.name === 'ProtobufError') return new ProtobufError(e.message);
  return new Error(e.message);
}
