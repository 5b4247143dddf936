import type Database from 'better-sqlite3';
import { decodeChunk, encodeChunk } from '../chunkenc/chunk.js';

/**
 * Chunks on disk. Sealed chunks are rows of `chunks`, appended in commit order and found through
 * an index on (series_id, maxt); a series' sealed chunks never overlap in time. Each series' head
 * chunk, as of the last checkpoint, is one row of `head_chunks`.
 */
export interface ChunkRow {
  id: number;
  mint: number;
  maxt: number;
  data: Buffer;
}

export interface SeriesBounds {
  seriesId: number;
  mint: number;
  maxt: number;
  /** Newest sample in sealed chunks, -Infinity when none. */
  sealedMaxt: number;
  /** The checkpointed head chunk, if any. */
  head?: { mint: number; data: Buffer };
}

export class ChunkStore {
  private readonly insertSealed: Database.Statement;
  private readonly removeSealed: Database.Statement;
  private readonly inRange: Database.Statement;
  private readonly upsertHead: Database.Statement;
  private readonly removeHead: Database.Statement;
  private readonly countAll: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertSealed = db.prepare('INSERT INTO chunks (series_id, mint, maxt, data) VALUES (?, ?, ?, ?)');
    this.removeSealed = db.prepare('DELETE FROM chunks WHERE id = ?');
    this.inRange = db.prepare(
      'SELECT id, mint, maxt, data FROM chunks WHERE series_id = ? AND mint <= ? AND maxt >= ? ORDER BY maxt',
    );
    this.upsertHead = db.prepare(
      'INSERT OR REPLACE INTO head_chunks (series_id, mint, maxt, data) VALUES (?, ?, ?, ?)',
    );
    this.removeHead = db.prepare('DELETE FROM head_chunks WHERE series_id = ?');
    this.countAll = db.prepare(
      'SELECT (SELECT count(*) FROM chunks) + (SELECT count(*) FROM head_chunks) AS n',
    );
  }

  writeSealed(seriesId: number, t: Float64Array, v: Float64Array, n: number): void {
    this.insertSealed.run(seriesId, t[0], t[n - 1], encodeChunk(t, v, n));
  }

  deleteSealed(id: number): void {
    this.removeSealed.run(id);
  }

  writeHead(seriesId: number, t: Float64Array, v: Float64Array, n: number): void {
    this.upsertHead.run(seriesId, t[0], t[n - 1], encodeChunk(t, v, n));
  }

  deleteHead(seriesId: number): void {
    this.removeHead.run(seriesId);
  }

  /** Sealed chunks of a series overlapping [mint, maxt], oldest first. */
  read(seriesId: number, mint: number, maxt: number): ChunkRow[] {
    return this.inRange.all(seriesId, maxt, mint) as ChunkRow[];
  }

  decode(data: Uint8Array, mint: number): { t: Float64Array; v: Float64Array } {
    return decodeChunk(data, mint);
  }

  count(): number {
    return (this.countAll.get() as { n: number }).n;
  }

  /** Drops every chunk whose newest sample is older than `cutoff`; returns how many. */
  deleteOlderThan(cutoff: number): number {
    const sealed = this.db.prepare('DELETE FROM chunks WHERE maxt < ?').run(cutoff).changes;
    const heads = this.db.prepare('DELETE FROM head_chunks WHERE maxt < ?').run(cutoff).changes;
    return sealed + heads;
  }

  /** Per series with chunks on disk: its time bounds, sealed bounds and checkpointed head. */
  bounds(): SeriesBounds[] {
    const out = new Map<number, SeriesBounds>();
    for (const r of this.db
      .prepare('SELECT series_id AS id, min(mint) AS lo, max(maxt) AS hi FROM chunks GROUP BY series_id')
      .iterate() as Iterable<{ id: number; lo: number; hi: number }>) {
      out.set(r.id, { seriesId: r.id, mint: r.lo, maxt: r.hi, sealedMaxt: r.hi });
    }
    for (const r of this.db
      .prepare('SELECT series_id AS id, mint, maxt, data FROM head_chunks')
      .iterate() as Iterable<{
      id: number;
      mint: number;
      maxt: number;
      data: Buffer;
    }>) {
      const b = out.get(r.id);
      if (b) {
        b.mint = Math.min(b.mint, r.mint);
        b.maxt = Math.max(b.maxt, r.maxt);
        b.head = { mint: r.mint, data: r.data };
      } else {
        out.set(r.id, {
          seriesId: r.id,
          mint: r.mint,
          maxt: r.maxt,
          sealedMaxt: Number.NEGATIVE_INFINITY,
          head: { mint: r.mint, data: r.data },
        });
      }
    }
    return [...out.values()];
  }

  /** Minimum time per series over what is left on disk (after retention). */
  minTimes(): Map<number, number> {
    const mins = new Map<number, number>();
    for (const r of this.db
      .prepare(
        'SELECT id, min(lo) AS lo FROM (SELECT series_id AS id, min(mint) AS lo FROM chunks GROUP BY series_id UNION ALL SELECT series_id, mint FROM head_chunks) GROUP BY id',
      )
      .iterate() as Iterable<{ id: number; lo: number }>) {
      mins.set(r.id, r.lo);
    }
    return mins;
  }
}
