/**
 * Memory for the open head chunks of all series: one block per SERIES_PER_BLOCK series ids, each
 * cell a 32-bit time offset and a 64-bit value (in two parallel arrays). A block is laid out in
 * bands of BAND sample positions: band k holds samples k*BAND .. k*BAND + BAND - 1 of every series
 * of the block, each series' BAND samples side by side. So a series' consecutive samples share a
 * cache line (a request appends several samples of a series in a row; sealing copies a chunk
 * out), and a band's pages are only touched once some series holds that many samples.
 *
 * Why bands: a row per sample position across all series (the first layout) touched another page
 * for every sample of a series and made ingest 20% slower; each series' whole chunk side by side
 * touched every page of the block as soon as its series had one sample (500,000 series with four
 * samples each: 2.3 GiB peak RSS instead of 1.0). Why not an array pair per series: those grew
 * by steps as samples came (the arrays they left behind were garbage until the next full
 * collection, 43 MiB for 16,050 series), cost three JavaScript objects each, and fragmented the
 * allocator. With the default chunk size (240) a block is one allocation of 45 MiB, above glibc's
 * largest mmap threshold (32 MiB), so it is mapped on its own and its pages only take memory once
 * written.
 */
const SERIES_PER_BLOCK = 16384;
/** Sample positions per band (a power of two): 32 bytes of offsets, 64 of values per series. */
const BAND_BITS = 3;
const BAND = 1 << BAND_BITS;
const BAND_MASK = BAND - 1;
/** Cells from one band to the next. */
const BAND_STRIDE = SERIES_PER_BLOCK * BAND;

/** Timestamps are kept as 32-bit offsets from the chunk's first one: a chunk spans at most this. */
const MAX_OFFSET = 0x7fffffff;

export class HeadArena {
  private readonly blocks: Array<{ t: Int32Array; words: Uint32Array }> = [];

  /** @param limit the most samples one open chunk holds. */
  constructor(readonly limit: number) {}

  /** The chunk of series `id` (ids are small positive integers, handed out in order). */
  chunk(id: number): HeadChunk {
    const b = Math.floor(id / SERIES_PER_BLOCK);
    let block = this.blocks[b];
    if (!block) {
      // Whole bands: the last one may be partly unused when limit is not a multiple of BAND.
      const cells = Math.ceil(this.limit / BAND) * BAND_STRIDE;
      const buffer = new ArrayBuffer(cells * 12);
      block = { t: new Int32Array(buffer, 0, cells), words: new Uint32Array(buffer, cells * 4, cells * 2) };
      this.blocks[b] = block;
    }
    return new HeadChunk(block.t, block.words, (id % SERIES_PER_BLOCK) * BAND, this.limit);
  }
}

/** The cell of sample i of the series whose first cell is `first`. */
function cell(first: number, i: number): number {
  return first + (i >>> BAND_BITS) * BAND_STRIDE + (i & BAND_MASK);
}

// Contiguous copies of one chunk's samples (for the encoder and for queries); one pair per
// process is enough because each use ends before the next begins (all synchronous).
let scratchT = new Float64Array(256);
let scratchV = new Float64Array(256);
let scratchWords = new Uint32Array(scratchV.buffer);

/**
 * The open chunk of one series: recent samples sorted by time, one per timestamp, in its cells
 * of a HeadArena block. Timestamps are offsets from `base` (the first sample's, or an earlier
 * one), so a chunk spans less than 2^31 ms (24 days): `fits` says whether a timestamp can join.
 * Values are copied as 64-bit words so NaN payloads survive.
 */
export class HeadChunk {
  n = 0;
  /** The series' head row is stale: samples or sealed chunks changed since the last checkpoint. */
  dirty = false;
  private base = 0;

  constructor(
    private readonly t: Int32Array,
    private readonly words: Uint32Array,
    /** The series' first cell in each band is first + k * BAND_STRIDE (see cell()). */
    private readonly first: number,
    readonly limit: number,
  ) {}

  /** Timestamp of sample i (0 <= i < n). */
  time(i: number): number {
    return this.base + this.t[cell(this.first, i)];
  }

  /** Whether a sample at `t` can be added without the chunk spanning more than 2^31 - 1 ms. */
  fits(t: number): boolean {
    if (this.n === 0) return true;
    // `base` is the first sample's timestamp.
    const offset = t - this.base;
    return offset >= 0 ? offset <= MAX_OFFSET : this.maxt - t <= MAX_OFFSET;
  }

  get mint(): number {
    return this.n > 0 ? this.time(0) : Number.POSITIVE_INFINITY;
  }

  get maxt(): number {
    return this.n > 0 ? this.time(this.n - 1) : Number.NEGATIVE_INFINITY;
  }

  /**
   * Adds a sample (the value given as its two 32-bit words); an equal timestamp replaces the
   * value. The caller seals the chunk when it reaches `limit` samples, so it never holds more.
   */
  add(t: number, lo: number, hi: number): void {
    if (!this.fits(t))
      throw new RangeError(`a head chunk spans less than 2^31 ms; seal it before adding ${t}`);
    const { first, words } = this;
    const times = this.t;
    const n = this.n;
    if (n === 0) this.base = t;
    else if (t < this.base) this.rebase(t);
    const offset = t - this.base;
    let at = n;
    if (n > 0 && offset <= times[cell(first, n - 1)]) {
      let a = 0;
      let b = n;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (times[cell(first, mid)] < offset) a = mid + 1;
        else b = mid;
      }
      at = a;
      const c = cell(first, at);
      if (times[c] === offset) {
        words[2 * c] = lo;
        words[2 * c + 1] = hi;
        this.dirty = true;
        return;
      }
    }
    if (n >= this.limit) throw new RangeError(`head chunk is full (${this.limit} samples): seal it first`);
    // Out of order within the chunk: shift the later samples by one cell.
    for (let i = n; i > at; i--) {
      const to = cell(first, i);
      const from = cell(first, i - 1);
      times[to] = times[from];
      words[2 * to] = words[2 * from];
      words[2 * to + 1] = words[2 * from + 1];
    }
    const c = cell(first, at);
    times[c] = offset;
    words[2 * c] = lo;
    words[2 * c + 1] = hi;
    this.n = n + 1;
    this.dirty = true;
  }

  /** Replaces the contents with sorted, unique samples (a checkpointed chunk being loaded). */
  load(t: Float64Array, v: Float64Array): void {
    const n = t.length;
    if (n > this.limit) throw new RangeError(`a head chunk holds at most ${this.limit} samples, not ${n}`);
    if (n > 0 && t[n - 1] - t[0] > MAX_OFFSET)
      throw new RangeError(`a head chunk spans less than 2^31 ms, not ${t[n - 1] - t[0]}`);
    const vWords = new Uint32Array(v.buffer, v.byteOffset, n * 2);
    this.base = n > 0 ? t[0] : 0;
    for (let i = 0; i < n; i++) {
      const c = cell(this.first, i);
      this.t[c] = t[i] - this.base;
      this.words[2 * c] = vWords[2 * i];
      this.words[2 * c + 1] = vWords[2 * i + 1];
    }
    this.n = n;
  }

  /**
   * The samples i in [from, to) as contiguous arrays (the samples at [0, to - from)). The arrays
   * are shared scratch space: valid until the next call on any head chunk.
   */
  samples(from = 0, to = this.n): { t: Float64Array; v: Float64Array } {
    const count = to - from;
    if (scratchT.length < count) {
      scratchT = new Float64Array(Math.max(count, scratchT.length * 2));
      scratchV = new Float64Array(scratchT.length);
      scratchWords = new Uint32Array(scratchV.buffer);
    }
    const { first, words, base } = this;
    const times = this.t;
    for (let i = 0; i < count; i++) {
      const c = cell(first, from + i);
      scratchT[i] = base + times[c];
      scratchWords[2 * i] = words[2 * c];
      scratchWords[2 * i + 1] = words[2 * c + 1];
    }
    return { t: scratchT, v: scratchV };
  }

  reset(): void {
    this.n = 0;
    this.dirty = false;
  }

  /** Makes `t` (earlier than every sample, and `fits`) the new base of the offsets. */
  private rebase(t: number): void {
    const shift = this.base - t;
    for (let i = 0; i < this.n; i++) this.t[cell(this.first, i)] += shift;
    this.base = t;
  }
}
