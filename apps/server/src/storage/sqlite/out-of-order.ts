import type { ChunkStore } from './chunk-store.js';
import type { SeriesState } from './sqlite-storage.js';

/**
 * Merges samples older than a series' head (backfill, late writes) into its chunks on disk: the
 * chunks overlapping the samples' time span are decoded, merged with them (an incoming sample
 * replaces a stored one with the same timestamp), deleted and written again in pieces of at most
 * `limit` samples. Chunks of a series never overlap before or after.
 */
export function mergeOutOfOrder(
  chunks: ChunkStore,
  s: SeriesState,
  indexes: number[],
  t: Float64Array,
  words: Uint32Array,
  limit: number,
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
    const { t: ct, v: cv } = chunks.decode(row.data, row.mint);
    const cw = new Uint32Array(cv.buffer);
    for (let k = 0; k < ct.length; k++) merged.set(ct[k], [cw[2 * k], cw[2 * k + 1]]);
    chunks.deleteSealed(row.id);
  }
  for (const i of indexes) merged.set(t[i], [words[2 * i], words[2 * i + 1]]);
  const times = [...merged.keys()].sort((a, b) => a - b);
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
    chunks.writeSealed(s.id, pt, pv, n);
  }
}
