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

  fill(bytes: Uint8Array): void {
    if (!this.bytes) this.bytes = bytes;
    this.raw = undefined;
  }
}

/**
 * Collects the chunks sealed during one commit and sends them to the encoder as one job; calls
 * `onDone` once their bytes are in (or, if the encoder failed, once they will be made on demand).
 */
export class ChunkEncodeQueue {
  private batch: PendingChunk[] = [];

  constructor(
    private readonly encoder: ChunkEncoder,
    private readonly onDone: (error?: Error) => void,
  ) {}

  add(mint: number, maxt: number, t: Float64Array, v: Float64Array, n: number): PendingChunk {
    const chunk = new PendingChunk(mint, maxt, { t: t.slice(0, n), v: v.slice(0, n) });
    this.batch.push(chunk);
    return chunk;
  }

  send(): void {
    if (this.batch.length === 0) return;
    const chunks = this.batch;
    this.batch = [];
    const offsets = new Int32Array(chunks.length + 1);
    for (let i = 0; i < chunks.length; i++) offsets[i + 1] = offsets[i] + chunks[i].samples.t.length;
    const t = new Float64Array(offsets[chunks.length]);
    const v = new Float64Array(offsets[chunks.length]);
    for (let i = 0; i < chunks.length; i++) {
      t.set(chunks[i].samples.t, offsets[i]);
      v.set(chunks[i].samples.v, offsets[i]);
    }
    this.encoder.encodeChunks({ offsets, t, v }).then(
      (encoded) => {
        for (let i = 0; i < chunks.length; i++)
          chunks[i].fill(encoded.bytes.slice(encoded.offsets[i], encoded.offsets[i + 1]));
        this.onDone();
      },
      (e: Error) => this.onDone(e),
    );
  }
}
