import type { ChunkStore } from './chunk-store.js';
import type { SeriesState } from './sqlite-storage.js';

/**
 * Drops what is older than `cutoff`: chunk rows on disk, sealed chunks still in memory, and head
 * chunks whose newest sample is older. `changed` is told of every series changed in memory.
 * Returns the number of chunks dropped and whether any of them were in memory.
 */
export function dropExpired(
  series: ReadonlyArray<SeriesState | undefined>,
  chunks: ChunkStore,
  cutoff: number,
  changed: (s: SeriesState) => void,
): { dropped: number; inMemory: boolean } {
  let dropped = chunks.deleteOlderThan(cutoff);
  let inMemory = false;
  for (const s of series) {
    if (!s) continue;
    if (s.pending.length > 0 && s.pending[0].maxt < cutoff) {
      const kept = s.pending.filter((c) => c.maxt >= cutoff);
      dropped += s.pending.length - kept.length;
      s.pending = kept;
      changed(s);
      inMemory = true;
    }
    if (s.head.n > 0 && s.head.maxt < cutoff) {
      s.head.reset();
      changed(s);
      dropped++;
      inMemory = true;
    }
  }
  return { dropped, inMemory };
}

/** Each series' oldest time after a drop: `diskMins` per series id, or what memory still holds. */
export function resetMinTimes(
  series: ReadonlyArray<SeriesState | undefined>,
  diskMins: ReadonlyMap<number, number>,
): void {
  for (const s of series) {
    if (!s) continue;
    const memory = Math.min(s.pending.length > 0 ? s.pending[0].mint : Number.POSITIVE_INFINITY, s.head.mint);
    s.mint = Math.min(diskMins.get(s.id) ?? Number.POSITIVE_INFINITY, memory);
    if (s.mint === Number.POSITIVE_INFINITY) s.maxt = Number.NEGATIVE_INFINITY;
  }
}
