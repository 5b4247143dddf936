import type Database from 'better-sqlite3';
import type { DecodedChunk } from '../chunkenc/chunk.js';
import { decodeSegmentInto, encodeSegment, type SegmentChunk } from '../chunkenc/segment.js';
import { EMPTY_SCAN, parseSegmentScan, type SegmentScan } from './segment-scan.js';

/**
 * Chunks on disk, a few per row (segments, see chunkenc/segment.ts). Sealed segments are rows of
 * `chunks`, appended in commit order (which keeps the table's pages full) and found through an
 * index on (series_id, maxt); a series' chunks never overlap in time. Each series' head, as of the
 * last checkpoint, is one row of `head_chunks`: its sealed chunks not yet in a segment, then its
 * open head chunk.
 */
export interface SegmentRow {
  id: number;
  mint: number;
  maxt: number;
  data: Buffer;
}

/** An encoded chunk with its time bounds. */
export interface SealedChunk extends SegmentChunk {
  maxt: number;
}

export interface SeriesBounds {
  seriesId: number;
  mint: number;
  maxt: number;
  /** Newest sample in segment rows, -Infinity when none. */
  sealedMaxt: number;
  /** The checkpointed head row, if any: `sealed` leading chunks, then maybe the open chunk. */
  head?: { mint: number; data: Buffer; sealed: number };
}

export class ChunkStore {
  private readonly insertSegment: Database.Statement;
  private readonly removeSegment: Database.Statement;
  private readonly inRange: Database.Statement;
  private readonly scanInRange: Database.Statement;
  private readonly upsertHead: Database.Statement;
  private readonly removeHead: Database.Statement;
  private readonly countAll: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertSegment = db.prepare('INSERT INTO chunks (series_id, mint, maxt, data) VALUES (?, ?, ?, ?)');
    this.removeSegment = db.prepare('DELETE FROM chunks WHERE id = ?');
    this.inRange = db.prepare(
      'SELECT id, mint, maxt, data FROM chunks WHERE series_id = ? AND mint <= ? AND maxt >= ? ORDER BY maxt',
    );
    // group_concat() passes BLOB bytes through unchanged (SQLite checks no encoding); the CAST
    // makes the result a BLOB again. Both aggregates see the rows in the same order.
    this.scanInRange = db
      .prepare(
        `SELECT CAST(group_concat(data, '') AS BLOB), group_concat(series_id || ' ' || mint || ' ' || length(data), ' ')
         FROM (SELECT series_id, mint, data FROM chunks
               WHERE series_id BETWEEN ? AND ? AND mint <= ? AND maxt >= ? ORDER BY series_id, maxt)`,
      )
      .raw(true);
    this.upsertHead = db.prepare(
      'INSERT OR REPLACE INTO head_chunks (series_id, mint, maxt, sealed, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.removeHead = db.prepare('DELETE FROM head_chunks WHERE series_id = ?');
    this.countAll = db.prepare(
      'SELECT (SELECT count(*) FROM chunks) + (SELECT count(*) FROM head_chunks) AS n',
    );
  }

  /** Appends a segment of sealed chunks (in time order). */
  writeSegment(seriesId: number, chunks: readonly SealedChunk[]): void {
    this.insertSegment.run(seriesId, chunks[0].mint, chunks[chunks.length - 1].maxt, encodeSegment(chunks));
  }

  deleteSegment(id: number): void {
    this.removeSegment.run(id);
  }

  /** Writes a series' head row: its pending sealed chunks, then its open chunk if any. */
  writeHead(seriesId: number, sealed: readonly SealedChunk[], open: SealedChunk | undefined): void {
    const chunks = open ? [...sealed, open] : sealed;
    this.upsertHead.run(
      seriesId,
      chunks[0].mint,
      chunks[chunks.length - 1].maxt,
      sealed.length,
      encodeSegment(chunks),
    );
  }

  deleteHead(seriesId: number): void {
    this.removeHead.run(seriesId);
  }

  /** Segment rows of a series overlapping [mint, maxt], oldest first. */
  read(seriesId: number, mint: number, maxt: number): SegmentRow[] {
    return this.inRange.all(seriesId, maxt, mint) as SegmentRow[];
  }

  /**
   * Segment rows overlapping [mint, maxt] of the series with ids in [loId, hiId], as one scan
   * (see segment-scan.ts): one statement and one blob instead of a statement and a Buffer per row
   * when a query selects many series. Keep hiId - loId bounded: the blob is limited to 1 GB.
   */
  readScan(mint: number, maxt: number, loId: number, hiId: number): SegmentScan {
    const [data, directory] = this.scanInRange.get(loId, hiId, maxt, mint) as [
      Uint8Array | null,
      string | null,
    ];
    return data && directory ? parseSegmentScan(data, directory) : EMPTY_SCAN;
  }

  /** The chunks of a segment row, decoded, oldest first. */
  decodeRow(row: { mint: number; data: Uint8Array }): DecodedChunk[] {
    const out: DecodedChunk[] = [];
    decodeSegmentInto(row.data, row.mint, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, {
      // slice() copies bytes, so NaN payloads survive.
      add: (t, v, from, to) => out.push({ t: t.slice(from, to), v: v.slice(from, to) }),
    });
    return out;
  }

  count(): number {
    return (this.countAll.get() as { n: number }).n;
  }

  /** Drops every row whose newest sample is older than `cutoff`; returns how many. */
  deleteOlderThan(cutoff: number): number {
    const sealed = this.db.prepare('DELETE FROM chunks WHERE maxt < ?').run(cutoff).changes;
    const heads = this.db.prepare('DELETE FROM head_chunks WHERE maxt < ?').run(cutoff).changes;
    return sealed + heads;
  }

  /** Per series with rows on disk: its time bounds, sealed bounds and checkpointed head row. */
  bounds(): SeriesBounds[] {
    const out = new Map<number, SeriesBounds>();
    for (const r of this.db
      .prepare('SELECT series_id AS id, min(mint) AS lo, max(maxt) AS hi FROM chunks GROUP BY series_id')
      .iterate() as Iterable<{ id: number; lo: number; hi: number }>) {
      out.set(r.id, { seriesId: r.id, mint: r.lo, maxt: r.hi, sealedMaxt: r.hi });
    }
    for (const r of this.db
      .prepare('SELECT series_id AS id, mint, maxt, sealed, data FROM head_chunks')
      .iterate() as Iterable<{ id: number; mint: number; maxt: number; sealed: number; data: Buffer }>) {
      const head = { mint: r.mint, data: r.data, sealed: r.sealed };
      const b = out.get(r.id);
      if (b) {
        b.mint = Math.min(b.mint, r.mint);
        b.maxt = Math.max(b.maxt, r.maxt);
        b.head = head;
      } else {
        out.set(r.id, {
          seriesId: r.id,
          mint: r.mint,
          maxt: r.maxt,
          sealedMaxt: Number.NEGATIVE_INFINITY,
          head,
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
