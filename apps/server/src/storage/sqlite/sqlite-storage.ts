import type { Clock, Logger } from '@motley/exporter-kit';
import type Database from 'better-sqlite3';
import type { Registry } from 'prom-client';
import type { Labels } from '../../model/labels.js';
import { encodeChunk } from '../chunkenc/chunk.js';
import type { Appender, Querier, Storage } from '../interface.js';
import type { LabelIndex } from '../label-index.js';
import { StorageMetrics } from '../metrics.js';
import { Checkpoints } from './checkpoints.js';
import { ChunkStore, type SealedChunk } from './chunk-store.js';
import { openDatabase } from './database.js';
import { directoryBytes } from './directory-bytes.js';
import { DurableLog, type LogBatch } from './durable-log.js';
import type { HeadChunk } from './head-chunk.js';
import { loadHeads } from './head-loading.js';
import { mergeOutOfOrder } from './out-of-order.js';
import type { RawKeyIndex } from './raw-key-index.js';
import { dropExpired, resetMinTimes } from './retention.js';
import { SeriesRegistry } from './series-registry.js';
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
  /** A full checkpoint starts this long after the last commit. */
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
  /** Called when writes paused and the checkpoint that followed is done (the server collects garbage there). */
  onWritesPaused?: () => void;
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
  private readonly seriesRegistry: SeriesRegistry;
  // The registry's maps, as fields: the appender and the querier use them on every series.
  readonly index: LabelIndex;
  readonly series: Array<SeriesState | undefined>;
  readonly byKey: Map<string, SeriesState>;
  readonly byRawKey: RawKeyIndex<SeriesState>;
  private checkpoints!: Checkpoints;
  readonly chunkSamples: number;
  readonly segmentChunks: number;
  private readonly idleCheckpointMs: number;
  private readonly maxLogBytes: number;
  private readonly maxRetainedLogBytes: number;
  private retentionTimer: NodeJS.Timeout | undefined;
  readonly metrics: StorageMetrics;
  private opened = false;

  constructor(private readonly options: SqliteStorageOptions) {
    this.chunkSamples = options.chunkSamples ?? 240;
    this.segmentChunks = options.segmentChunks ?? 3;
    this.idleCheckpointMs = options.idleCheckpointMs ?? 300;
    this.maxLogBytes = options.maxLogBytes ?? 64 << 20;
    this.maxRetainedLogBytes = options.maxRetainedLogBytes ?? 512 << 20;
    this.seriesRegistry = new SeriesRegistry(this.chunkSamples);
    this.index = this.seriesRegistry.index;
    this.series = this.seriesRegistry.series;
    this.byKey = this.seriesRegistry.byKey;
    this.byRawKey = this.seriesRegistry.byRawKey;
    this.metrics = new StorageMetrics(options.registry, {
      headSeries: () => this.seriesRegistry.headSeriesCount(),
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
    for (const { id, labels } of this.seriesStore.load()) this.seriesRegistry.register(id, labels);
    loadHeads(this.chunks.bounds(), this.series);
    this.durableLog = new DurableLog(this.options.path, this.options.logSegmentBytes);
    this.checkpoints = new Checkpoints(
      {
        db: this.db,
        series: this.series,
        durableLog: this.durableLog,
        metrics: this.metrics,
        log: this.options.log,
        isOpen: () => this.opened,
        writeHeadRow: (s, withOpen) => this.writeHeadRow(s, withOpen),
        afterIdleCheckpoint: () => this.options.onWritesPaused?.(),
      },
      {
        idleMs: this.idleCheckpointMs,
        maxLogBytes: this.maxLogBytes,
        maxRetainedLogBytes: this.maxRetainedLogBytes,
        slice: this.options.checkpointSlice ?? 2000,
      },
    );
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
    const seconds = (performance.now() - t0) / 1000;
    this.checkpoints.afterReplay(batches);
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
    this.checkpoints.stopTimer();
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
    return this.seriesRegistry.lookup(labels);
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
          this.seriesRegistry.adopt(s);
        }
        this.applyBatch(batch, this.durableLog.currentSegment, false);
      })();
    } catch (e) {
      this.seriesStore.forgetPairsFrom(pairMark);
      for (const s of newSeries) this.seriesRegistry.disown(s);
      throw e;
    }
    this.metrics.seriesCreated.inc(newSeries.length);
    if (batch.n === 0) return;
    this.durableLog.append(batch);
    this.metrics.samplesAppended.inc(batch.n);
    this.checkpoints.afterAppend();
  }

  /** Trims the durable log now (see Checkpoints.trim). */
  trimLog(): void {
    this.checkpoints.trim();
  }

  /** A full checkpoint now: afterwards the database alone holds every acknowledged sample. */
  checkpoint(): void {
    this.checkpoints.fullNow();
  }

  /** Drops chunks older than the retention period, and head samples if all of them are. */
  applyRetention(): void {
    if (!this.opened) return;
    const cutoff = this.options.clock.now() - this.options.retentionMs;
    const { dropped, inMemory } = dropExpired(this.series, this.chunks, cutoff, (s) => this.markDirty(s));
    if (dropped === 0) return;
    this.metrics.retentionDroppedChunks.inc(dropped);
    resetMinTimes(this.series, this.chunks.minTimes());
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
      // An open chunk spans less than 2^31 ms (its timestamps are 32-bit offsets).
      if (h.n > 0 && !h.fits(ti)) this.seal(s);
      if (ti > s.sealedMaxT || (h.n > 0 && ti >= h.time(0))) {
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
    const chunk = compressHead(h);
    s.pending.push(chunk);
    s.sealedMaxT = chunk.maxt;
    h.reset();
    // The head row's copy of the open chunk (if any) is part of the sealed chunk now, and the
    // next open chunk starts with the next sample.
    s.openInRow = false;
    s.logFrom = Number.POSITIVE_INFINITY;
    this.metrics.chunksSealed.inc();
    if (s.pending.length >= this.segmentChunks) {
      this.flushPending(s);
      return;
    }
    this.checkpoints.markPendingChanged(s);
  }

  /**
   * Writes the pending sealed chunks as one segment row. The head row held those chunks (and
   * maybe the oldest samples of the open chunk): it is rewritten with the open chunk alone when
   * only the row has those samples, and deleted otherwise.
   */
  private flushPending(s: SeriesState): void {
    this.chunks.writeSegment(s.id, s.pending);
    s.pending = [];
    s.pendingDirty = false;
    if (s.headRow) this.writeHeadRow(s, s.openInRow);
  }

  private markDirty(s: SeriesState): void {
    this.checkpoints.markDirty(s);
  }

  /** Writes a series' head row: its pending sealed chunks, and its open chunk if `withOpen`. */
  private writeHeadRow(s: SeriesState, withOpen: boolean): void {
    const h = s.head;
    const open = withOpen && h.n > 0 ? compressHead(h) : undefined;
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

  /** Creates the in-memory state of a series the appender has not committed yet (a new id). */
  newSeriesState(labels: Labels): SeriesState {
    return this.seriesRegistry.create(labels);
  }

  /** Bytes of the files in the storage directory and its durable log directory. */
  diskBytes(): number {
    return directoryBytes(this.options.path);
  }

  private ensureOpen(): void {
    if (!this.opened) throw new Error('storage is not open (start() not called or already stopped)');
  }
}

/** A head chunk's samples compressed as a chunk (the head is left as it is). */
function compressHead(h: HeadChunk): SealedChunk {
  const { t, v } = h.samples();
  return { mint: t[0], maxt: t[h.n - 1], data: encodeChunk(t, v, h.n) };
}
