import { decodeChunk } from '../chunkenc/chunk.js';
import { decodeSegment } from '../chunkenc/segment.js';
import type { SeriesBounds } from './chunk-store.js';
import type { SeriesState } from './sqlite-storage.js';

/**
 * At start-up: restores each series' time bounds from its rows, and the chunks a checkpoint left
 * in its head row (sealed ones back to `pending`, the open one back into the head chunk).
 */
export function loadHeads(
  bounds: readonly SeriesBounds[],
  series: ReadonlyArray<SeriesState | undefined>,
): void {
  for (const b of bounds) {
    const s = series[b.seriesId];
    if (!s) continue;
    s.mint = b.mint;
    s.maxt = b.maxt;
    s.sealedMaxT = b.sealedMaxt;
    if (!b.head) continue;
    const chunks = decodeSegment(b.head.data, b.head.mint);
    for (let i = 0; i < chunks.length; i++) {
      const decoded = decodeChunk(chunks[i].data, chunks[i].mint);
      const maxt = decoded.t[decoded.t.length - 1];
      // A chunk as large as the head's limit (written with a larger chunk size) stays sealed.
      if (i < b.head.sealed || decoded.t.length >= s.head.limit) {
        s.pending.push({ mint: chunks[i].mint, maxt, data: chunks[i].data.slice() });
        if (maxt > s.sealedMaxT) s.sealedMaxT = maxt;
      } else {
        s.head.load(decoded.t, decoded.v);
        s.openInRow = true;
      }
    }
    s.headRow = true;
    s.head.dirty = false;
  }
}
