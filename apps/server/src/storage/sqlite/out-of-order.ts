import { encodeChunk } from '../chunkenc/chunk.js';
import type { ChunkStore, SealedChunk } from './chunk-store.js';
import type { SeriesState } from './sqlite-storage.js';

/**
 * Merges samples older than a series' head (backfill, late writes) into its chunks on disk: the
 * chunks overlapping the samples' time span are decoded, merged with them (an incoming sample
 * replaces a stored one with the same timestamp), deleted and written again in pieces of at most
 * `limit` samples, `segmentChunks` chunks per row. Chunks of a series never overlap before or after.
 */
export function mergeOutOfOrder(
  chunks: ChunkStore,
  s: SeriesState,
  indexes: number[],
  t: Float64Array,
  words: Uint32Array,
  limit: number,
  segmentChunks: number,
): void {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const i of indexes) {
    if (t[i] < lo) lo = t[i];
    if (t[i] > hi) hi = t[i];
  }
  // timestamp -> value words; incoming samples go in last so that they win.
  const merged = new Map<number, [number, number]>();
  for (const row of chunks.read(s.id, lo, hi)) {
    for (const { t: ct, v: cv } of chunks.decodeRow(row)) {
      const cw = new Uint32Array(cv.buffer);
      for (let k = 0; k < ct.length; k++) merged.set(ct[k], [cw[2 * k], cw[2 * k + 1]]);
    }
    chunks.deleteSegment(row.id);
  }
  for (const i of indexes) merged.set(t[i], [words[2 * i], words[2 * i + 1]]);
  const times = [...merged.keys()].sort((a, b) => a - b);
  let segment: SealedChunk[] = [];
  for (let start = 0; start < times.length; start += limit) {
    const n = Math.min(limit, times.length - start);
    const pt = new Float64Array(n);
    const pv = new Float64Array(n);
    const pw = new Uint32Array(pv.buffer);
    for (let k = 0; k < n; k++) {
      const time = times[start + k];
      const w = merged.get(time) as [number, number];
      pt[k] = time;
      pw[2 * k] = w[0];
      pw[2 * k + 1] = w[1];
    }
    segment.push({ mint: pt[0], maxt: pt[n - 1], data: encodeChunk(pt, pv, n) });
    if (segment.length === segmentChunks) {
      chunks.writeSegment(s.id, segment);
      segment = [];
    }
  }
  if (segment.length > 0) chunks.writeSegment(s.id, segment);
}
