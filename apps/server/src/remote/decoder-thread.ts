import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterWorkerStarted } from '../runtime/heap.js';
import type { DecoderAnswer, DecoderJob } from './decoder-worker.js';
import { SnappyError } from './snappy.js';
import { type DecodedWriteRequest, ProtobufError } from './write-request.js';

const WORKER_FILE = new URL('./decoder-worker.js', import.meta.url);

interface Waiter {
  resolve(request: DecodedWriteRequest): void;
  reject(e: Error): void;
}

/**
 * Decodes remote write bodies (snappy, then protobuf) on a second thread, so that on a machine
 * with two cores the next request is decoded while the event loop stores the previous one. Jobs
 * run in the order they are given. The thread starts on first use and is replaced if it dies; the
 * jobs it had fail with an error that says to retry.
 */
export class DecoderThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  /** Whether the compiled worker file is there (it is not when running from TypeScript sources). */
  static available(): boolean {
    return existsSync(fileURLToPath(WORKER_FILE));
  }

  /** Starts the thread ahead of the first request (it is otherwise started on first use). */
  start(): void {
    this.ensureWorker();
  }

  /** Decodes a remote write body; the body's memory is handed over when it owns its buffer. */
  decodeRemoteWrite(body: Uint8Array, maxDecodedBytes: number): Promise<DecodedWriteRequest> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const owned = body.byteOffset === 0 && body.buffer.byteLength === body.length;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Referenced only while a job runs: an idle thread must not keep the process alive.
      if (this.waiting.size === 1) worker.ref();
      const job: DecoderJob = { id, kind: 'decode', body, maxDecodedBytes };
      try {
        worker.postMessage(job, owned ? [body.buffer as ArrayBuffer] : []);
      } catch (e) {
        // A body the thread cannot be handed (not cloneable): answer it, keep the thread.
        this.waiting.delete(id);
        if (this.waiting.size === 0) worker.unref();
        reject(e as Error);
      }
    });
  }

  /**
   * Gives the arrays of a decoded request back to the thread, which decodes the next requests
   * into them: fewer large allocations. The request must not be used afterwards.
   */
  recycle(request: DecodedWriteRequest): void {
    const w = this.worker;
    if (!w) return;
    const buffers = {
      raw: request.buf.buffer as ArrayBuffer,
      t: request.t,
      v: request.v.buffer as ArrayBuffer,
    };
    const transfer = [...new Set([buffers.raw, buffers.t.buffer as ArrayBuffer, buffers.v])];
    const job: DecoderJob = { id: 0, kind: 'recycle', buffers };
    try {
      w.postMessage(job, transfer);
    } catch {
      // not transferable: the garbage collector frees the arrays instead
    }
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // Its own allocations are small and short-lived (the results are transferred): a small young
    // generation keeps the thread's memory down.
    const w = new Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    w.on('online', afterWorkerStarted);
    w.on('message', (answer: DecoderAnswer) => this.settle(answer));
    w.on('error', (e) => this.fail(w, `remote write decoder thread failed: ${e.message}`));
    w.on('exit', (code) => this.fail(w, `remote write decoder thread exited with code ${code}`));
    // After the listeners: adding a 'message' listener refs the thread again.
    w.unref();
    this.worker = w;
    return w;
  }

  private settle(answer: DecoderAnswer): void {
    const waiter = this.waiting.get(answer.id);
    if (!waiter) return;
    this.waiting.delete(answer.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if ('error' in answer) {
      waiter.reject(asError(answer.error));
      return;
    }
    const b = answer.request.buf as Uint8Array;
    // The label bytes arrive as a Uint8Array; the storage compares them as a Buffer.
    waiter.resolve({ ...answer.request, buf: Buffer.from(b.buffer, b.byteOffset, b.byteLength) });
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
