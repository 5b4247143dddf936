import type { Labels } from '../../model/labels.js';
import type { SampleSink } from '../chunkenc/chunk.js';
import type { SampleArrays, Series } from '../interface.js';
import { ValueWordCopier } from './value-words.js';

const FIRST_BLOCK = 1024;
const MAX_BLOCK = 1 << 16;
/** From this many samples on, a copy is one set() call rather than a loop. */
const COPY_WITH_SET = 64;
const EMPTY = new Float64Array(0);

/**
 * A series whose samples are read: one object is both the Series and its SampleArrays, as a
 * select over thousands of series keeps every one alive until the query ends.
 */
export class CollectedSeries implements Series, SampleArrays {
  constructor(
    readonly labels: Labels,
    readonly t: Float64Array,
    readonly v: Float64Array,
  ) {}

  samples(): SampleArrays {
    return this;
  }
}

/**
 * Gathers the samples a select() reads, series after series, into a few shared blocks: each
 * series' arrays are views into a block. A Float64Array of more than a few elements gets its own
 * off-heap buffer, which V8 allocates and frees slowly; a query over thousands of series would
 * otherwise make two per series and chunk. Blocks grow geometrically, so a small select stays
 * small.
 */
export class SampleCollector implements SampleSink {
  private t = new Float64Array(0);
  private v = new Float64Array(0);
  private vWords = new Uint32Array(0);
  /** Its sources are usually the decoder's scratch: one word view for many adds. */
  private readonly values = new ValueWordCopier();
  private at = 0;
  private start = 0;

  /** @param latestOnly keep only each series' newest sample (see SelectHints.latestOnly). */
  constructor(private readonly latestOnly = false) {}

  add(t: Float64Array, v: Float64Array, from: number, to: number): void {
    const n = to - from;
    if (this.at + n > this.t.length) this.grow(n);
    if (n >= COPY_WITH_SET) {
      // set() copies bytes (memcpy), NaN payloads included; the two views cost less than a loop.
      this.t.set(t.subarray(from, to), this.at);
      this.v.set(v.subarray(from, to), this.at);
      this.at += n;
      return;
    }
    const dt = this.t;
    let at = this.at;
    for (let i = from; i < to; i++) dt[at++] = t[i];
    this.values.copy(this.vWords, this.at, v, from, to);
    this.at += n;
  }

  /** The samples added since the last take(), as one series with these labels. */
  take(labels: Labels): CollectedSeries {
    if (this.at === this.start) return new CollectedSeries(labels, EMPTY, EMPTY);
    if (this.latestOnly && this.at - this.start > 1) {
      // Samples come in time order: the last one is the newest. Its value moves as two words.
      const last = this.at - 1;
      this.t[this.start] = this.t[last];
      this.vWords[2 * this.start] = this.vWords[2 * last];
      this.vWords[2 * this.start + 1] = this.vWords[2 * last + 1];
      this.at = this.start + 1;
    }
    const out = new CollectedSeries(
      labels,
      this.t.subarray(this.start, this.at),
      this.v.subarray(this.start, this.at),
    );
    this.start = this.at;
    return out;
  }

  /** Starts a new block; the samples of the series being gathered move along. */
  private grow(n: number): void {
    const pending = this.at - this.start;
    const size = Math.max(pending + n, Math.min(MAX_BLOCK, Math.max(FIRST_BLOCK, this.t.length * 2)));
    const t = new Float64Array(size);
    const v = new Float64Array(size);
    const vWords = new Uint32Array(v.buffer);
    t.set(this.t.subarray(this.start, this.at));
    vWords.set(this.vWords.subarray(2 * this.start, 2 * this.at));
    this.t = t;
    this.v = v;
    this.vWords = vWords;
    this.start = 0;
    this.at = pending;
  }
}
