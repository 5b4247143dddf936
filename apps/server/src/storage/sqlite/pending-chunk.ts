import type { EncodedChunks, PackedChunks } from '../../codec/codec-worker.js';
import { encodeChunk } from '../chunkenc/chunk.js';
import type { SealedChunk } from './chunk-store.js';

/** Encodes chunks elsewhere (the codec thread), in the order they are given. */
export interface ChunkEncoder {
  encodeChunks(chunks: PackedChunks): Promise<EncodedChunks>;
}

/**
 * A sealed chunk whose bytes are being made on another thread. Until they arrive it keeps its
 * samples; whoever needs the bytes first (a query, a checkpoint) encodes them on the spot.
 */
export class PendingChunk implements SealedChunk {
  private bytes: Uint8Array | undefined;

  constructor(
    readonly mint: number,
    readonly maxt: number,
    private raw: { t: Float64Array; v: Float64Array } | undefined,
  ) {}

  get data(): Uint8Array {
    if (!this.bytes) this.fill(encodeChunk(this.samples.t, this.samples.v));
    return this.bytes as Uint8Array;
  }

  get samples(): { t: Float64Array; v: Float64Array } {
    if (!this.raw) throw new Error('a pending chunk lost its samples before it was encoded');
    return this.raw;
  }

  get encoded(): boolean {
    return this.bytes !== undefined;
  }

  moveSamples(t: Float64Array, v: Float64Array): void {
    if (this.raw) this.raw = { t, v };
  }

  fill(bytes: Uint8Array): void {
    if (!this.bytes) this.bytes = bytes;
    this.raw = undefined;
  }
}

/**
 * Collects the chunks sealed during one commit and sends them to the encoder as one job; calls
 * `onDone` once their bytes are in (or, if the encoder failed, once they will be made on demand).
 * The samples are copied once, into arrays shared by the batch; the chunks keep views of them
 * until their bytes arrive, and the job gets a copy (a structured clone) of the used part.
 */
export class ChunkEncodeQueue {
  private batch: PendingChunk[] = [];
  private starts: number[] = [];
  private t = new Float64Array(0);
  private v = new Float64Array(0);
  private used = 0;
  private lastSize = 4096;

  constructor(
    private readonly encoder: ChunkEncoder,
    private readonly onDone: (error?: Error) => void,
  ) {}

  add(mint: number, maxt: number, t: Float64Array, v: Float64Array, n: number): PendingChunk {
    if (this.used + n > this.t.length) this.grow(this.used + n);
    const at = this.used;
    this.t.set(t.subarray(0, n), at);
    this.v.set(v.subarray(0, n), at);
    this.used += n;
    const chunk = new PendingChunk(mint, maxt, {
      t: this.t.subarray(at, at + n),
      v: this.v.subarray(at, at + n),
    });
    this.batch.push(chunk);
    this.starts.push(at);
    return chunk;
  }

  send(): void {
    if (this.batch.length === 0) return;
    const chunks = this.batch;
    const offsets = new Int32Array(chunks.length + 1);
    for (let i = 0; i < chunks.length; i++) offsets[i] = this.starts[i];
    offsets[chunks.length] = this.used;
    const job = { offsets, t: this.t.subarray(0, this.used), v: this.v.subarray(0, this.used) };
    this.lastSize = this.used;
    this.batch = [];
    this.starts = [];
    this.t = new Float64Array(0);
    this.v = new Float64Array(0);
    this.used = 0;
    this.encoder.encodeChunks(job).then(
      (encoded) => {
        for (let i = 0; i < chunks.length; i++)
          chunks[i].fill(encoded.bytes.slice(encoded.offsets[i], encoded.offsets[i + 1]));
        this.onDone();
      },
      (e: Error) => this.onDone(e),
    );
  }

  /** Larger batch arrays; the chunks added so far move their views to them. */
  private grow(need: number): void {
    const size = Math.max(need, this.t.length * 2, this.lastSize);
    const t = new Float64Array(size);
    const v = new Float64Array(size);
    t.set(this.t.subarray(0, this.used));
    v.set(this.v.subarray(0, this.used));
    this.t = t;
    this.v = v;
    for (let i = 0; i < this.batch.length; i++) {
      const n = this.batch[i].samples.t.length;
      this.batch[i].moveSamples(
        t.subarray(this.starts[i], this.starts[i] + n),
        v.subarray(this.starts[i], this.starts[i] + n),
      );
    }
  }
}
