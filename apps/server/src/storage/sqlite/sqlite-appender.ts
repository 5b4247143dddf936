import { type Labels, labelsKey } from '../../model/labels.js';
import type { Appender, SeriesRef } from '../interface.js';
import { StorageError } from '../interface.js';
import { MAX_TIMESTAMP_MS, validateLabels, validateTimestamp } from '../validate.js';
import type { SeriesState, SqliteStorage } from './sqlite-storage.js';
import { ValueWordCopier } from './value-words.js';

/**
 * Collects samples in typed arrays until commit, which hands the whole batch to the storage in
 * one transaction and one durable-log write. Series first seen here exist only in this appender
 * until then, so a rollback (or a rejected request) leaves nothing behind.
 */
export class SqliteAppender implements Appender {
  private refs: Uint32Array = EMPTY.refs;
  private t: Float64Array = EMPTY.t;
  private v: Float64Array = EMPTY.v;
  /** `v` as 32-bit words. */
  private vWords: Uint32Array = EMPTY.vWords;
  private readonly values = new ValueWordCopier();
  private n = 0;
  private newSeries: SeriesState[] = [];
  private readonly newById = new Map<number, SeriesState>();
  private readonly newByCanonical = new Map<string, SeriesState>();
  private readonly newByKey = new Map<string, SeriesState>();
  private newRawKeys: Array<{ bytes: Uint8Array; hash: number; series: SeriesState }> = [];

  constructor(private readonly storage: SqliteStorage) {}

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    validateTimestamp(t);
    let s = ref ? (this.storage.series[ref] ?? this.newById.get(ref)) : undefined;
    if (!s) {
      validateLabels(labels);
      s = this.resolve(labels);
    }
    this.reserve(1);
    this.refs[this.n] = s.id;
    this.t[this.n] = t;
    this.v[this.n] = v;
    this.n++;
    return s.id;
  }

  seriesRef(key: string, labels: () => Labels): SeriesRef {
    const known = this.storage.byKey.get(key) ?? this.newByKey.get(key);
    if (known) return known.id;
    const ls = labels();
    validateLabels(ls);
    const s = this.resolve(ls);
    if (this.newById.has(s.id)) this.newByKey.set(key, s);
    else this.storage.byKey.set(key, s);
    return s.id;
  }

  seriesRefByBytes(
    bytes: Uint8Array,
    start: number,
    end: number,
    hash: number,
    labels: () => Labels,
  ): SeriesRef {
    const known = this.storage.byRawKey.get(bytes, start, end, hash);
    if (known) return known.id;
    const ls = labels();
    validateLabels(ls);
    const s = this.resolve(ls);
    // A copy (Buffer#slice is a view): the request's buffer may be reused before the commit.
    if (this.newById.has(s.id))
      this.newRawKeys.push({ bytes: new Uint8Array(bytes.subarray(start, end)), hash, series: s });
    else this.storage.byRawKey.set(bytes, start, end, hash, s);
    return s.id;
  }

  appendSamples(ref: SeriesRef, t: Float64Array, v: Float64Array, from: number, to: number): void {
    const count = to - from;
    if (count <= 0) return;
    for (let i = from; i < to; i++) {
      const ti = t[i];
      if (!(ti <= MAX_TIMESTAMP_MS && ti >= -MAX_TIMESTAMP_MS) || !Number.isInteger(ti))
        validateTimestamp(ti);
    }
    if (!this.storage.series[ref] && !this.newById.has(ref))
      throw new StorageError(`unknown series reference ${ref}`);
    this.reserve(count);
    // Loops rather than set(subarray): a request appends a few samples for each of thousands of
    // series, and two subarray views per series were a third of the event loop's allocations.
    const at = this.n;
    this.refs.fill(ref, at, at + count);
    const dt = this.t;
    for (let i = 0; i < count; i++) dt[at + i] = t[from + i];
    this.values.copy(this.vWords, at, v, from, to);
    this.n += count;
  }

  async commit(): Promise<void> {
    if (this.n === 0 && this.newSeries.length === 0) return;
    this.adoptConcurrentlyCreated();
    try {
      this.storage.commitBatch(this.newSeries, { refs: this.refs, t: this.t, v: this.v, n: this.n });
      for (const [key, s] of this.newByKey) this.storage.byKey.set(key, s);
      for (const r of this.newRawKeys) {
        const s = this.storage.lookup(r.series.labels) ?? r.series;
        this.storage.byRawKey.set(r.bytes, 0, r.bytes.length, r.hash, s);
      }
    } finally {
      this.clear();
    }
  }

  rollback(): void {
    this.clear();
  }

  /** Another appender may have committed one of our new series meanwhile: use its id. */
  private adoptConcurrentlyCreated(): void {
    const remap = new Map<number, number>();
    this.newSeries = this.newSeries.filter((s) => {
      const existing = this.storage.lookup(s.labels);
      if (!existing) return true;
      remap.set(s.id, existing.id);
      for (const [key, mine] of this.newByKey) if (mine === s) this.newByKey.set(key, existing);
      return false;
    });
    if (remap.size === 0) return;
    for (let i = 0; i < this.n; i++) this.refs[i] = remap.get(this.refs[i]) ?? this.refs[i];
  }

  private resolve(labels: Labels): SeriesState {
    const existing = this.storage.lookup(labels);
    if (existing) return existing;
    const key = labelsKey(labels);
    let s = this.newByCanonical.get(key);
    if (!s) {
      s = this.storage.newSeriesState(labels.map((l) => ({ name: l.name, value: l.value })));
      this.newSeries.push(s);
      this.newById.set(s.id, s);
      this.newByCanonical.set(key, s);
    }
    return s;
  }

  private reserve(count: number): void {
    const need = this.n + count;
    if (need <= this.t.length) return;
    if (this.n === 0) {
      // Start from the storage's spare buffers: a request-sized batch allocates nothing.
      const spare = this.storage.takeBatchBuffers(need);
      if (spare) {
        this.refs = spare.refs;
        this.t = spare.t;
        this.v = spare.v;
        this.vWords = new Uint32Array(spare.v.buffer, spare.v.byteOffset, spare.v.length * 2);
        return;
      }
    }
    let size = Math.max(1024, this.t.length * 2);
    while (size < need) size *= 2;
    const refs = new Uint32Array(size);
    refs.set(this.refs.subarray(0, this.n));
    const t = new Float64Array(size);
    t.set(this.t.subarray(0, this.n));
    const v = new Float64Array(size);
    v.set(this.v.subarray(0, this.n));
    this.refs = refs;
    this.t = t;
    this.v = v;
    this.vWords = new Uint32Array(v.buffer);
  }

  private clear(): void {
    this.n = 0;
    this.newSeries = [];
    this.newById.clear();
    this.newByCanonical.clear();
    this.newByKey.clear();
    this.newRawKeys = [];
    if (this.t.length > 0) this.storage.returnBatchBuffers({ refs: this.refs, t: this.t, v: this.v });
    this.refs = EMPTY.refs;
    this.t = EMPTY.t;
    this.v = EMPTY.v;
    this.vWords = EMPTY.vWords;
    this.values.forget();
  }
}

const EMPTY = {
  refs: new Uint32Array(0),
  t: new Float64Array(0),
  v: new Float64Array(0),
  vWords: new Uint32Array(0),
};
