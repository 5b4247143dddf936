/**
 * The open chunk of one series: recent samples in memory, sorted by time, one per timestamp, as
 * typed arrays that grow by doubling. Values are copied as 64-bit words so NaN payloads survive.
 */
export class HeadChunk {
  t: Float64Array;
  v: Float64Array;
  private words: Uint32Array;
  n = 0;
  /** The series' head row is stale: samples or sealed chunks changed since the last checkpoint. */
  dirty = false;

  /** @param limit the size the chunk is sealed at: growth stops there instead of doubling past it. */
  constructor(
    capacity = 8,
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.words = new Uint32Array(this.v.buffer);
  }

  get mint(): number {
    return this.n > 0 ? this.t[0] : Number.POSITIVE_INFINITY;
  }

  get maxt(): number {
    return this.n > 0 ? this.t[this.n - 1] : Number.NEGATIVE_INFINITY;
  }

  /** Adds a sample (the value given as its two 32-bit words); an equal timestamp replaces the value. */
  add(t: number, lo: number, hi: number): void {
    const n = this.n;
    let at = n;
    if (n > 0 && t <= this.t[n - 1]) {
      let a = 0;
      let b = n;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (this.t[mid] < t) a = mid + 1;
        else b = mid;
      }
      at = a;
      if (this.t[at] === t) {
        this.words[2 * at] = lo;
        this.words[2 * at + 1] = hi;
        this.dirty = true;
        return;
      }
    }
    if (n === this.t.length) this.grow();
    if (at < n) {
      this.t.copyWithin(at + 1, at, n);
      this.words.copyWithin(2 * at + 2, 2 * at, 2 * n);
    }
    this.t[at] = t;
    this.words[2 * at] = lo;
    this.words[2 * at + 1] = hi;
    this.n = n + 1;
    this.dirty = true;
  }

  /** Replaces the contents with sorted, unique samples (a checkpointed chunk being loaded). */
  load(t: Float64Array, v: Float64Array): void {
    const n = t.length;
    if (this.t.length < n) {
      this.t = new Float64Array(Math.max(n, Math.min(this.limit, n * 2)));
      this.v = new Float64Array(this.t.length);
      this.words = new Uint32Array(this.v.buffer);
    }
    this.t.set(t);
    this.v.set(v);
    this.n = n;
  }

  /** Copies of the samples in [mint, maxt]. */
  range(mint: number, maxt: number): { t: Float64Array; v: Float64Array } {
    let a = 0;
    while (a < this.n && this.t[a] < mint) a++;
    let b = a;
    while (b < this.n && this.t[b] <= maxt) b++;
    return { t: this.t.slice(a, b), v: this.v.slice(a, b) };
  }

  reset(): void {
    this.n = 0;
    this.dirty = false;
    // The capacity stays: the next chunk of this series will need as much.
  }

  private grow(): void {
    // Quadruple while small, and jump to the seal size rather than past it. (Not straight to the
    // seal size: 500,000 series a few minutes into a 15 s scrape hold ~20 samples each, and 240
    // slots per series took their head from about 0.25 to 1.9 GiB.)
    const wanted = this.t.length * 4;
    const size = wanted > this.limit && this.t.length < this.limit ? this.limit : wanted;
    const t = new Float64Array(size);
    t.set(this.t);
    const v = new Float64Array(size);
    new Uint32Array(v.buffer).set(this.words);
    this.t = t;
    this.v = v;
    this.words = new Uint32Array(v.buffer);
  }
}
