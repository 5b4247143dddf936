import type Database from 'better-sqlite3';
import { decodeChunk, encodeChunk } from '../chunkenc/chunk.js';

/**
 * Sealed and checkpointed chunks on disk: one row per series and time range, keyed by
 * (series_id, mint) so a series' chunks are contiguous in the table's b-tree. The chunks of a
 * series never overlap in time.
 */
export interface ChunkRow {
  mint: number;
  maxt: number;
  data: Buffer;
}

export interface SeriesBounds {
  seriesId: number;
  mint: number;
  maxt: number;
  /** The newest chunk, which the head may continue. */
  last: ChunkRow;
}

export class ChunkStore {
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly inRange: Database.Statement;
  private readonly countAll: Database.Statement;
  private readonly deleteBefore: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      'INSERT OR REPLACE INTO chunks (series_id, mint, maxt, data) VALUES (?, ?, ?, ?)',
    );
    this.remove = db.prepare('DELETE FROM chunks WHERE series_id = ? AND mint = ?');
    this.inRange = db.prepare(
      'SELECT mint, maxt, data FROM chunks WHERE series_id = ? AND mint <= ? AND maxt >= ? ORDER BY mint',
    );
    this.countAll = db.prepare('SELECT count(*) AS n FROM chunks');
    this.deleteBefore = db.prepare('DELETE FROM chunks WHERE maxt < ?');
  }

  write(seriesId: number, t: Float64Array, v: Float64Array, n: number): void {
    this.upsert.run(seriesId, t[0], t[n - 1], encodeChunk(t, v, n));
  }

  delete(seriesId: number, mint: number): void {
    this.remove.run(seriesId, mint);
  }

  /** Chunks of a series overlapping [mint, maxt], oldest first. */
  read(seriesId: number, mint: number, maxt: number): ChunkRow[] {
    return this.inRange.all(seriesId, maxt, mint) as ChunkRow[];
  }

  decode(row: ChunkRow): { t: Float64Array; v: Float64Array } {
    return decodeChunk(row.data);
  }

  count(): number {
    return (this.countAll.get() as { n: number }).n;
  }

  /** Drops every chunk whose newest sample is older than `cutoff`; returns how many. */
  deleteOlderThan(cutoff: number): number {
    return this.deleteBefore.run(cutoff).changes;
  }

  /** Per series: time bounds over all its chunks and its newest chunk. */
  bounds(): SeriesBounds[] {
    const rows = this.db
      .prepare(
        `SELECT c.series_id AS seriesId, b.lo AS lo, b.hi AS hi, c.mint AS mint, c.maxt AS maxt, c.data AS data
         FROM (SELECT series_id, min(mint) AS lo, max(maxt) AS hi, max(mint) AS last FROM chunks GROUP BY series_id) b
         JOIN chunks c ON c.series_id = b.series_id AND c.mint = b.last`,
      )
      .all() as Array<{ seriesId: number; lo: number; hi: number; mint: number; maxt: number; data: Buffer }>;
    return rows.map((r) => ({
      seriesId: r.seriesId,
      mint: r.lo,
      maxt: r.hi,
      last: { mint: r.mint, maxt: r.maxt, data: r.data },
    }));
  }
}
