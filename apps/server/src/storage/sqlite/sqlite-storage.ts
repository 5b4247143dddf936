import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, Logger } from '@motley/exporter-kit';
import type Database from 'better-sqlite3';
import type { Registry } from 'prom-client';
import { type Labels, labelsKey } from '../../model/labels.js';
import { decodeChunk, encodeChunk } from '../chunkenc/chunk.js';
import { decodeSegment } from '../chunkenc/segment.js';
import type { Appender, Querier, Storage } from '../interface.js';
import { LabelIndex } from '../label-index.js';
import { StorageMetrics } from '../metrics.js';
import { ChunkStore, type SealedChunk } from './chunk-store.js';
import { openDatabase } from './database.js';
import { DurableLog, type LogBatch } from './durable-log.js';
import { HeadChunk } from './head-chunk.js';
import { mergeOutOfOrder } from './out-of-order.js';
import { ChunkEncodeQueue, type ChunkEncoder } from './pending-chunk.js';
import { RawKeyIndex } from './raw-key-index.js';
import { SeriesStore } from './series-store.js';
import { SqliteAppender } from './sqlite-appender.js';
import { SqliteQuerier } from './sqlite-querier.js';

export interface SqliteStorageOptions {
  /** Directory for the database and the durable log; created if missing. */
  path: string;
  /** Chunks whose newest sample is older than this many milliseconds are dropped. */
  retentionMs: number;
  clock: Clock;
  log?: Logger;
  registry?: Registry;
  /** Samples per sealed chunk. */
  chunkSamples?: number;
  /** Sealed chunks per database row. */
  segmentChunks?: number;
  /** Checkpoint the head this long after the last commit. */
  idleCheckpointMs?: number;
  /** Trim the durable log each time this many bytes were appended to it. */
  maxLogBytes?: number;
  /** Checkpoint the open head chunks too once the durable log still holds this much after a trim. */
  maxRetainedLogBytes?: number;
  /** Size of one durable log segment file. */
  logSegmentBytes?: number;
  /** How often retention runs. */
  retentionIntervalMs?: number;
  /** Series per slice of a checkpoint that runs alongside writes (idle or log-size triggered). */
  checkpointSlice?: number;
  /** Encodes sealed chunks off the event loop; without it they are encoded when sealed. */
  chunkEncoder?: ChunkEncoder;
}

export interface BatchBuffers {
  refs: Uint32Array;
  t: Float64Array;
  v: Float64Array;
}

/** One series as the storage keeps it in memory. */
export interface SeriesState {
  readonly id: number;
  readonly labels: Labels;
  readonly head: HeadChunk;
  /** Sealed chunks not yet in a segment row (they are in the head row after a checkpoint). */
  pending: SealedChunk[];
  /** Whether the series has a row in head_chunks. */
  headRow: boolean;
  /** `pending` changed since the head row was written. */
  pendingDirty: boolean;
  /** The head row holds the oldest samples of the open chunk (written by a full checkpoint). */
  openInRow: boolean;
  /** Oldest durable log segment with samples of the open chunk not in the head row (Infinity: none). */
  logFrom: number;
  /** Newest timestamp in the series' sealed chunks (pending or on disk); the head is newer. */
  sealedMaxT: number;
  /** Time bounds over every sample of the series (disk and head). */
  mint: number;
  maxt: number;
}

/**
 * Time series in SQLite: an in-memory head per series backed by a durable log, sealed chunks
 * compressed into BLOBs, a series table and an in-memory label index. See the README's Storage
 * section for the life of a sample.
 */
export class SqliteStorage implements Storage {
  private db!: Database.Database;
  private unlock!: () => void;
  private seriesStore!: SeriesStore;
  chunks!: ChunkStore;
  private durableLog!: DurableLog;
  readonly index = new LabelIndex();
  readonly series: Array<SeriesState | undefined> = [];
  private readonly byCanonical = new Map<string, SeriesState>();
  /** Ingest keys (e.g. exposition series text) already resolved to a series. */
  readonly byKey = new Map<string, SeriesState>();
  /** Raw remote-write label bytes already resolved to a series. */
  readonly byRawKey = new RawKeyIndex<SeriesState>();
  private nextId = 1;
  private dirty: SeriesState[] = [];
  /** Series whose pending sealed chunks changed since their head row was written. */
  private pendingChanged: SeriesState[] = [];
  private logBytesAtTrim = 0;
  private readonly encodeQueue: ChunkEncodeQueue | undefined;
  /** Series with a segment's worth of pending chunks, written once their bytes are in. */
  private flushDue: SeriesState[] = [];
  /** A full checkpoint running in slices (see startCheckpoint). */
  private running: { queue: SeriesState[]; at: number } | undefined;
  private readonly checkpointSlice: number;
  readonly chunkSamples: number;
  readonly segmentChunks: number;
  private readonly idleCheckpointMs: number;
  private readonly maxLogBytes: number;
  private readonly maxRetainedLogBytes: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  readonly metrics: StorageMetrics;
  private opened = false;

  constructor(private readonly options: SqliteStorageOptions) {
    this.chunkSamples = options.chunkSamples ?? 240;
    this.segmentChunks = options.segmentChunks ?? 3;
    this.idleCheckpointMs = options.idleCheckpointMs ?? 300;
    this.maxLogBytes = options.maxLogBytes ?? 64 << 20;
    this.maxRetainedLogBytes = options.maxRetainedLogBytes ?? 512 << 20;
    this.checkpointSlice = options.checkpointSlice ?? 2000;
    if (options.chunkEncoder) {
      this.encodeQueue = new ChunkEncodeQueue(options.chunkEncoder, (error) => {
        if (error)
          options.log?.warn('chunk encoding thread failed; encoding on the main thread instead', {
            err: error.message,
          });
        this.flushDueSeries();
      });
    }
    this.metrics = new StorageMetrics(options.registry, {
      headSeries: () => this.headSeriesCount(),
      chunks: () => (this.opened ? this.chunks.count() : 0),
      diskBytes: () => this.diskBytes(),
    });
  }

  async start(): Promise<void> {
    const { db, unlock } = openDatabase(this.options.path);
    this.db = db;
    this.unlock = unlock;
    this.seriesStore = new SeriesStore(db);
    this.chunks = new ChunkStore(db);
    for (const { id, labels } of this.seriesStore.load()) this.register(id, labels);
    this.loadHeads();
    this.durableLog = new DurableLog(this.options.path, this.options.logSegmentBytes);
    this.opened = true;
    const t0 = performance.now();
    const batches = this.durableLog.replay(
      (batch, segment) => this.applyBatch(batch, segment, true),
      (segment, offset, reason) =>
        this.options.log?.warn('durable log has a torn tail (a write cut short by a crash); dropped it', {
          segment,
          offset,
          reason,
        }),
    );
    this.logBytesAtTrim = this.durableLog.size;
    this.encodeQueue?.send();
    const seconds = (performance.now() - t0) / 1000;
    // The replayed samples stay in the log until the first checkpoint, which runs once the
    // server is up rather than delaying its start.
    if (batches > 0) this.scheduleIdleCheckpoint();
    this.metrics.walReplaySeconds.set(seconds);
    this.options.log?.info('storage opened', {
      path: this.options.path,
      series: this.index.size,
      replayed_batches: batches,
      replay_seconds: seconds.toFixed(3),
    });
    this.applyRetention();
    const every = this.options.retentionIntervalMs ?? 5 * 60_000;
    this.retentionTimer = setInterval(() => this.applyRetention(), every);
    this.retentionTimer.unref();
  }

  async stop(): Promise<void> {
    if (!this.opened) return;
    clearTimeout(this.idleTimer);
    clearInterval(this.retentionTimer);
    this.checkpoint();
    this.durableLog.close();
    this.db.close();
    this.unlock();
    this.opened = false;
  }

  appender(): Appender {
    return new SqliteAppender(this);
  }

  querier(mint: number, maxt: number): Querier {
    return new SqliteQuerier(this, mint, maxt);
  }

  /** The series with these labels, if stored. */
  lookup(labels: Labels): SeriesState | undefined {
    return this.byCanonical.get(labelsKey(labels));
  }

  /** Batch arrays of a finished appender, lent to the next one (see SqliteAppender.reserve). */
  private spareBatch: BatchBuffers | undefined;

  takeBatchBuffers(minSize: number): BatchBuffers | undefined {
    const spare = this.spareBatch;
    if (!spare || spare.t.length < minSize) return undefined;
    this.spareBatch = undefined;
    return spare;
  }

  returnBatchBuffers(buffers: BatchBuffers): void {
    // Keep the larger set, within reason (a huge import should not pin its memory).
    if (buffers.t.length > 1 << 20) return;
    if (!this.spareBatch || this.spareBatch.t.length < buffers.t.length) this.spareBatch = buffers;
  }

  /** Stores new series and applies a batch of samples: one transaction, then one log write. */
  commitBatch(newSeries: SeriesState[], batch: LogBatch): void {
    this.ensureOpen();
    const pairMark = this.seriesStore.nextPair;
    try {
      this.db.transaction(() => {
        for (const s of newSeries) {
          this.seriesStore.insert(s.id, s.labels);
          this.adopt(s);
        }
        this.applyBatch(batch, this.durableLog.currentSegment, false);
      })();
    } catch (e) {
      this.seriesStore.forgetPairsFrom(pairMark);
      for (const s of newSeries) this.disown(s);
      throw e;
    } finally {
      this.encodeQueue?.send();
    }
    this.metrics.seriesCreated.inc(newSeries.length);
    if (batch.n === 0) return;
    this.durableLog.append(batch);
    this.metrics.samplesAppended.inc(batch.n);
    if (this.durableLog.size - this.logBytesAtTrim > this.maxLogBytes) this.trimLog();
    else this.scheduleIdleCheckpoint();
  }

  /**
   * The checkpoint of sustained ingest, whose cost follows the samples sealed since the last one
   * rather than the number of series: writes the head rows of series that sealed chunks (their
   * chunks are already encoded), then deletes the log segments no open chunk still needs. Falls
   * back to a full checkpoint when the log would still hold more than maxRetainedLogBytes.
   */
  trimLog(): void {
    if (!this.opened) return;
    this.flushDueSeries();
    const changed = this.pendingChanged;
    this.pendingChanged = [];
    this.db.transaction(() => {
      for (const s of changed) {
        if (!s.pendingDirty) continue;
        this.writeHeadRow(s, s.openInRow);
        s.pendingDirty = false;
      }
    })();
    this.dropUnneededSegments();
    this.db.pragma('wal_checkpoint(PASSIVE)');
    this.metrics.logTrims.inc();
    if (this.durableLog.size > this.maxRetainedLogBytes) this.startCheckpoint();
    else this.scheduleIdleCheckpoint();
  }

  /** Deletes the log segments older than the oldest open-chunk sample the database lacks. */
  private dropUnneededSegments(): void {
    let keepFrom = this.durableLog.currentSegment + 1;
    for (const s of this.series) if (s && s.head.n > 0 && s.logFrom < keepFrom) keepFrom = s.logFrom;
    this.durableLog.dropBefore(keepFrom);
    this.logBytesAtTrim = this.durableLog.size;
  }

  /**
   * A full checkpoint that does not stall the event loop: the head rows (open chunks included) of
   * the changed series are written `checkpointSlice` series per turn of the event loop while
   * writes go on, then the log segments no open chunk needs any more are deleted.
   */
  private startCheckpoint(): void {
    if (!this.opened || this.running) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.flushDueSeries();
    const run = { queue: this.dirty, at: 0 };
    this.dirty = [];
    this.running = run;
    const step = () => {
      if (this.running !== run || !this.opened) return; // finished by a synchronous checkpoint, or stopped
      try {
        const end = Math.min(run.at + this.checkpointSlice, run.queue.length);
        this.db.transaction(() => {
          for (let i = run.at; i < end; i++) this.checkpointSeries(run.queue[i]);
        })();
        run.at = end;
        if (end < run.queue.length) {
          setImmediate(step);
          return;
        }
        this.running = undefined;
        this.dropUnneededSegments();
        this.db.pragma('incremental_vacuum');
        this.db.pragma('wal_checkpoint(PASSIVE)');
        this.metrics.checkpoints.inc();
      } catch (e) {
        // The failed slice was rolled back: its series and the rest go back to the dirty list,
        // and every log segment is kept (logFrom 0) until a checkpoint succeeds.
        this.running = undefined;
        for (let i = run.at; i < run.queue.length; i++) {
          const s = run.queue[i];
          s.logFrom = 0;
          s.head.dirty = true;
          this.dirty.push(s);
        }
        this.options.log?.error('checkpoint failed; the durable log keeps the samples', {
          err: (e as Error).message,
        });
      }
    };
    setImmediate(step);
  }

  /** Writes a changed series' head row with its open chunk: the database then has all its samples. */
  private checkpointSeries(s: SeriesState): void {
    if (!s.head.dirty) return;
    this.writeHeadRow(s, true);
    s.head.dirty = false;
    s.pendingDirty = false;
    s.logFrom = Number.POSITIVE_INFINITY;
  }

  /**
   * Writes the head row (pending sealed chunks and the open chunk) of every changed series into
   * the database, then empties the durable log: after this the database alone holds every
   * acknowledged sample.
   */
  checkpoint(): void {
    if (!this.opened) return;
    this.flushDueSeries();
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const dirty = this.dirty;
    this.dirty = [];
    // A checkpoint running in slices is finished here.
    if (this.running)
      for (let i = this.running.at; i < this.running.queue.length; i++) dirty.push(this.running.queue[i]);
    this.running = undefined;
    this.pendingChanged = [];
    this.db.transaction(() => {
      for (const s of dirty) this.checkpointSeries(s);
    })();
    for (const s of this.series) {
      if (!s) continue;
      s.pendingDirty = false;
      s.openInRow = s.head.n > 0;
      s.logFrom = Number.POSITIVE_INFINITY;
    }
    this.durableLog.clear();
    this.logBytesAtTrim = 0;
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.metrics.checkpoints.inc();
  }

  /** Drops chunks older than the retention period, and head samples if all of them are. */
  applyRetention(): void {
    if (!this.opened) return;
    const cutoff = this.options.clock.now() - this.options.retentionMs;
    let dropped = this.chunks.deleteOlderThan(cutoff);
    let inMemory = false;
    for (const s of this.series) {
      if (!s) continue;
      if (s.pending.length > 0 && s.pending[0].maxt < cutoff) {
        const kept = s.pending.filter((c) => c.maxt >= cutoff);
        dropped += s.pending.length - kept.length;
        s.pending = kept;
        this.markDirty(s);
        inMemory = true;
      }
      if (s.head.n > 0 && s.head.maxt < cutoff) {
        s.head.reset();
        this.markDirty(s);
        dropped++;
        inMemory = true;
      }
    }
    if (dropped === 0) return;
    this.metrics.retentionDroppedChunks.inc(dropped);
    const mins = this.chunks.minTimes();
    for (const s of this.series) {
      if (!s) continue;
      const memory = Math.min(
        s.pending.length > 0 ? s.pending[0].mint : Number.POSITIVE_INFINITY,
        s.head.mint,
      );
      s.mint = Math.min(mins.get(s.id) ?? Number.POSITIVE_INFINITY, memory);
      if (s.mint === Number.POSITIVE_INFINITY) s.maxt = Number.NEGATIVE_INFINITY;
    }
    if (inMemory) this.checkpoint();
    this.options.log?.info('retention dropped old chunks', {
      chunks: dropped,
      cutoff: new Date(cutoff).toISOString(),
    });
  }

  /**
   * Adds a batch to the heads; `segment` is the durable log segment that holds it. In a replay,
   * samples no newer than a series' sealed chunks are already in the database and are skipped.
   */
  private applyBatch(batch: LogBatch, segment: number, replaying: boolean): void {
    const { refs, t, n } = batch;
    const words = new Uint32Array(batch.v.buffer, batch.v.byteOffset, n * 2);
    let outOfOrder: Map<SeriesState, number[]> | undefined;
    const limit = this.chunkSamples;
    for (let i = 0; i < n; i++) {
      const s = this.series[refs[i]];
      if (!s) continue; // only possible in a log written before its series row: nothing to attach to
      const ti = t[i];
      const h = s.head;
      if (ti > s.sealedMaxT || (h.n > 0 && ti >= h.t[0])) {
        this.markDirty(s);
        h.add(ti, words[2 * i], words[2 * i + 1]);
        if (segment < s.logFrom) s.logFrom = segment;
        if (h.n >= limit) this.seal(s);
      } else if (replaying) {
        continue;
      } else {
        outOfOrder ??= new Map();
        const list = outOfOrder.get(s);
        if (list) list.push(i);
        else outOfOrder.set(s, [i]);
      }
      if (ti < s.mint) s.mint = ti;
      if (ti > s.maxt) s.maxt = ti;
    }
    if (outOfOrder) {
      for (const [s, indexes] of outOfOrder) {
        // Sealed chunks still in memory join the merge through the database.
        if (s.pending.length > 0) this.flushPending(s);
        mergeOutOfOrder(this.chunks, s, indexes, t, words, limit, this.segmentChunks);
        this.metrics.outOfOrderSamples.inc(indexes.length);
      }
    }
  }

  /**
   * Compresses a full head chunk. Sealed chunks wait in memory (and in the head row) until
   * `segmentChunks` of them go into one database row together.
   */
  private seal(s: SeriesState): void {
    const h = s.head;
    s.pending.push(
      this.encodeQueue
        ? this.encodeQueue.add(h.t[0], h.maxt, h.t, h.v, h.n)
        : { mint: h.t[0], maxt: h.maxt, data: encodeChunk(h.t, h.v, h.n) },
    );
    s.sealedMaxT = h.maxt;
    h.reset();
    // The head row's copy of the open chunk (if any) is part of the sealed chunk now, and the
    // next open chunk starts with the next sample.
    s.openInRow = false;
    s.logFrom = Number.POSITIVE_INFINITY;
    this.metrics.chunksSealed.inc();
    if (s.pending.length >= this.segmentChunks) {
      if (!this.encodeQueue) {
        this.flushPending(s);
        return;
      }
      this.flushDue.push(s);
    }
    this.markDirty(s);
    if (!s.pendingDirty) {
      s.pendingDirty = true;
      this.pendingChanged.push(s);
    }
  }

  /**
   * Writes the pending sealed chunks as one segment row. The head row held those chunks (and
   * maybe the oldest samples of the open chunk): it is rewritten with the open chunk alone when
   * only the row has those samples, and deleted otherwise.
   */
  private flushPending(s: SeriesState): void {
    // More than a segment's worth waits when bytes came from the codec thread late.
    for (let i = 0; i < s.pending.length; i += this.segmentChunks)
      this.chunks.writeSegment(s.id, s.pending.slice(i, i + this.segmentChunks));
    s.pending = [];
    s.pendingDirty = false;
    if (s.headRow) this.writeHeadRow(s, s.openInRow);
  }

  /** Writes the segments that waited for their chunks' bytes (see seal). */
  private flushDueSeries(): void {
    if (!this.opened || this.flushDue.length === 0) return;
    const due = this.flushDue;
    this.flushDue = [];
    try {
      this.db.transaction(() => {
        for (const s of due) if (s.pending.length >= this.segmentChunks) this.flushPending(s);
      })();
    } catch (e) {
      // Runs outside a request, so there is no caller to hand the error to (a full disk).
      this.options.log?.error('writing sealed chunks to the database failed', {
        err: (e as Error).message,
      });
    }
  }

  private markDirty(s: SeriesState): void {
    if (s.head.dirty) return;
    s.head.dirty = true;
    this.dirty.push(s);
  }

  /** Writes a series' head row: its pending sealed chunks, and its open chunk if `withOpen`. */
  private writeHeadRow(s: SeriesState, withOpen: boolean): void {
    const h = s.head;
    const open =
      withOpen && h.n > 0 ? { mint: h.t[0], maxt: h.maxt, data: encodeChunk(h.t, h.v, h.n) } : undefined;
    if (!open && s.pending.length === 0) {
      if (s.headRow) this.chunks.deleteHead(s.id);
      s.headRow = false;
      s.openInRow = false;
      return;
    }
    this.chunks.writeHead(s.id, s.pending, open);
    s.headRow = true;
    s.openInRow = open !== undefined;
  }

  private scheduleIdleCheckpoint(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.startCheckpoint(), this.idleCheckpointMs);
    this.idleTimer.unref();
  }

  /** Restores each series' time bounds and its checkpointed head chunk. */
  private loadHeads(): void {
    for (const b of this.chunks.bounds()) {
      const s = this.series[b.seriesId];
      if (!s) continue;
      s.mint = b.mint;
      s.maxt = b.maxt;
      s.sealedMaxT = b.sealedMaxt;
      if (!b.head) continue;
      const chunks = decodeSegment(b.head.data, b.head.mint);
      for (let i = 0; i < chunks.length; i++) {
        const decoded = decodeChunk(chunks[i].data, chunks[i].mint);
        const maxt = decoded.t[decoded.t.length - 1];
        if (i < b.head.sealed) {
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

  private register(id: number, labels: Labels): SeriesState {
    const s = this.emptySeries(id, labels);
    this.adopt(s);
    if (id >= this.nextId) this.nextId = id + 1;
    return s;
  }

  /** Creates the in-memory state of a series the appender has not committed yet (a new id). */
  newSeriesState(labels: Labels): SeriesState {
    return this.emptySeries(this.nextId++, labels);
  }

  private emptySeries(id: number, labels: Labels): SeriesState {
    return {
      id,
      labels,
      head: new HeadChunk(8, this.chunkSamples),
      pending: [],
      headRow: false,
      pendingDirty: false,
      openInRow: false,
      logFrom: Number.POSITIVE_INFINITY,
      sealedMaxT: Number.NEGATIVE_INFINITY,
      mint: Number.POSITIVE_INFINITY,
      maxt: Number.NEGATIVE_INFINITY,
    };
  }

  private adopt(s: SeriesState): void {
    this.series[s.id] = s;
    this.byCanonical.set(labelsKey(s.labels), s);
    this.index.add(s.id, s.labels);
  }

  private disown(s: SeriesState): void {
    // Only for a failed first commit of a series; the label index keeps a dead id, which selects
    // nothing because the series has no samples.
    if (this.series[s.id] === s) this.series[s.id] = undefined;
    if (this.byCanonical.get(labelsKey(s.labels)) === s) this.byCanonical.delete(labelsKey(s.labels));
    for (const [k, v] of this.byKey) if (v === s) this.byKey.delete(k);
    this.byRawKey.deleteValue(s);
  }

  private headSeriesCount(): number {
    let n = 0;
    for (const s of this.series) if (s && s.head.n > 0) n++;
    return n;
  }

  /** Bytes of the files in the storage directory and its durable log directory. */
  diskBytes(dir = this.options.path): number {
    let total = 0;
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        total += entry.isDirectory() ? this.diskBytes(path) : statSync(path).size;
      }
    } catch {
      // directory gone: nothing on disk
    }
    return total;
  }

  private ensureOpen(): void {
    if (!this.opened) throw new Error('storage is not open (start() not called or already stopped)');
  }
}
