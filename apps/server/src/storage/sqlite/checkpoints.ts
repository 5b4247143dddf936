import type { Logger } from '@motley/exporter-kit';
import type Database from 'better-sqlite3';
import type { StorageMetrics } from '../metrics.js';
import type { DurableLog } from './durable-log.js';
import type { SeriesState } from './sqlite-storage.js';

/** What the checkpoints need of the storage. */
export interface CheckpointHost {
  readonly db: Database.Database;
  readonly series: ReadonlyArray<SeriesState | undefined>;
  readonly durableLog: DurableLog;
  readonly metrics: StorageMetrics;
  readonly log?: Logger;
  isOpen(): boolean;
  /** Writes a series' head row: its pending sealed chunks, and its open chunk if `withOpen`. */
  writeHeadRow(s: SeriesState, withOpen: boolean): void;
  /** A full checkpoint that started because writes paused has finished. */
  afterIdleCheckpoint(): void;
}

export interface CheckpointOptions {
  /** A full checkpoint starts this long after the last commit. */
  idleMs: number;
  /** The durable log is trimmed each time this many bytes were appended to it. */
  maxLogBytes: number;
  /** A full checkpoint starts when the log still holds this much after a trim. */
  maxRetainedLogBytes: number;
  /** Series per slice of a full checkpoint that runs alongside writes. */
  slice: number;
}

/**
 * Keeps the durable log short by moving what it holds into the database, in two ways (see the
 * README's Storage section): a trim writes the sealed chunks waiting in memory and deletes the
 * log segments no open chunk needs; a full checkpoint also writes the open chunks, in slices
 * alongside writes (or all at once at shutdown), after which the log can go entirely.
 */
export class Checkpoints {
  /** Series whose head row is stale. */
  private dirty: SeriesState[] = [];
  /** Series whose pending sealed chunks changed since their head row was written. */
  private pendingChanged: SeriesState[] = [];
  private logBytesAtTrim = 0;
  /** A full checkpoint running in slices. */
  private running: { queue: SeriesState[]; at: number } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: CheckpointHost,
    private readonly options: CheckpointOptions,
  ) {}

  markDirty(s: SeriesState): void {
    if (s.head.dirty) return;
    s.head.dirty = true;
    this.dirty.push(s);
  }

  markPendingChanged(s: SeriesState): void {
    this.markDirty(s);
    if (s.pendingDirty) return;
    s.pendingDirty = true;
    this.pendingChanged.push(s);
  }

  /** After the log was replayed at start: its samples are checkpointed once the server is up. */
  afterReplay(batches: number): void {
    this.logBytesAtTrim = this.host.durableLog.size;
    if (batches > 0) this.scheduleIdle();
  }

  /** After a batch went into the log. */
  afterAppend(): void {
    if (this.host.durableLog.size - this.logBytesAtTrim > this.options.maxLogBytes) this.trim();
    else this.scheduleIdle();
  }

  /**
   * The checkpoint of sustained ingest, whose cost follows the samples sealed since the last one
   * rather than the number of series: writes the head rows of series that sealed chunks (their
   * chunks are already encoded), then deletes the log segments no open chunk still needs. Starts
   * a full checkpoint when the log would still hold more than maxRetainedLogBytes.
   */
  trim(): void {
    const { host } = this;
    if (!host.isOpen()) return;
    const changed = this.pendingChanged;
    this.pendingChanged = [];
    host.db.transaction(() => {
      for (const s of changed) {
        if (!s.pendingDirty) continue;
        host.writeHeadRow(s, s.openInRow);
        s.pendingDirty = false;
      }
    })();
    this.dropUnneededSegments();
    host.db.pragma('wal_checkpoint(PASSIVE)');
    host.metrics.logTrims.inc();
    if (host.durableLog.size > this.options.maxRetainedLogBytes) this.startFull(false);
    else this.scheduleIdle();
  }

  /**
   * A full checkpoint at once: every changed series' head row with its open chunk, then the log
   * is emptied. After this the database alone holds every acknowledged sample.
   */
  fullNow(): void {
    const { host } = this;
    if (!host.isOpen()) return;
    this.stopTimer();
    const dirty = this.dirty;
    this.dirty = [];
    // A checkpoint running in slices is finished here.
    if (this.running)
      for (let i = this.running.at; i < this.running.queue.length; i++) dirty.push(this.running.queue[i]);
    this.running = undefined;
    this.pendingChanged = [];
    host.db.transaction(() => {
      for (const s of dirty) this.checkpointSeries(s);
    })();
    for (const s of host.series) {
      if (!s) continue;
      s.pendingDirty = false;
      s.openInRow = s.head.n > 0;
      s.logFrom = Number.POSITIVE_INFINITY;
    }
    host.durableLog.clear();
    this.logBytesAtTrim = 0;
    host.db.pragma('incremental_vacuum');
    host.db.pragma('wal_checkpoint(TRUNCATE)');
    host.metrics.checkpoints.inc();
  }

  stopTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /**
   * A full checkpoint that does not stall the event loop: the head rows (open chunks included) of
   * the changed series are written `slice` series per turn of the event loop while writes go on,
   * then the log segments no open chunk needs any more are deleted.
   */
  private startFull(idle: boolean): void {
    const { host } = this;
    if (!host.isOpen() || this.running) return;
    this.stopTimer();
    const run = { queue: this.dirty, at: 0 };
    this.dirty = [];
    this.running = run;
    const step = () => {
      if (this.running !== run || !host.isOpen()) return; // finished by fullNow, or stopped
      try {
        const end = Math.min(run.at + this.options.slice, run.queue.length);
        host.db.transaction(() => {
          for (let i = run.at; i < end; i++) this.checkpointSeries(run.queue[i]);
        })();
        run.at = end;
        if (end < run.queue.length) {
          setImmediate(step);
          return;
        }
        this.running = undefined;
        this.dropUnneededSegments();
        host.db.pragma('incremental_vacuum');
        // TRUNCATE, not PASSIVE: the WAL file keeps the size it grew to under ingest otherwise.
        host.db.pragma('wal_checkpoint(TRUNCATE)');
        host.metrics.checkpoints.inc();
        if (idle) host.afterIdleCheckpoint();
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
        host.log?.error('checkpoint failed; the durable log keeps the samples', {
          err: (e as Error).message,
        });
      }
    };
    setImmediate(step);
  }

  /** Writes a changed series' head row with its open chunk: the database then has all its samples. */
  private checkpointSeries(s: SeriesState): void {
    if (!s.head.dirty) return;
    this.host.writeHeadRow(s, true);
    s.head.dirty = false;
    s.pendingDirty = false;
    s.logFrom = Number.POSITIVE_INFINITY;
  }

  /** Deletes the log segments older than the oldest open-chunk sample the database lacks. */
  private dropUnneededSegments(): void {
    const log = this.host.durableLog;
    let keepFrom = log.currentSegment + 1;
    for (const s of this.host.series) if (s && s.head.n > 0 && s.logFrom < keepFrom) keepFrom = s.logFrom;
    log.dropBefore(keepFrom);
    this.logBytesAtTrim = log.size;
  }

  private scheduleIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.startFull(true), this.options.idleMs);
    this.idleTimer.unref();
  }
}
