/** Bytes per slab of key copies: a slab holds a few hundred keys of a typical series. */
const SLAB_BYTES = 64 * 1024;

interface Entry<T> {
  /** The key's bytes are slab[at .. at + length). */
  readonly slab: Buffer;
  readonly at: number;
  readonly length: number;
  readonly value: T;
}

/**
 * Series looked up by raw bytes plus their hash (see Appender.seriesRefByBytes): the bytes are
 * kept to confirm a hash match, so a collision never mixes two series. The copies share 64 KiB
 * slabs: a buffer of its own per key cost two objects and an allocation per series (16,000
 * series: 3 MiB of heap and malloc overhead for 2.4 MB of keys).
 */
export class RawKeyIndex<T> {
  private readonly byHash = new Map<number, Array<Entry<T>>>();
  private slab = Buffer.allocUnsafeSlow(0);
  private used = 0;

  get(bytes: Uint8Array, start: number, end: number, hash: number): T | undefined {
    const list = this.byHash.get(hash);
    if (!list) return undefined;
    const len = end - start;
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (e.length !== len) continue;
      // One native comparison instead of a byte loop.
      if (e.slab.compare(bytes, start, end, e.at, e.at + len) === 0) return e.value;
    }
    return undefined;
  }

  set(bytes: Uint8Array, start: number, end: number, hash: number, value: T): void {
    if (this.get(bytes, start, end, hash) !== undefined) return;
    // A copy: the caller's buffer is reused for the next request.
    const length = end - start;
    if (this.used + length > this.slab.length) {
      // Its own memory, not a slice of Node's shared pool (a slab lives as long as its keys).
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length));
      this.used = 0;
    }
    this.slab.set(bytes.subarray(start, end), this.used);
    const entry = { slab: this.slab, at: this.used, length, value };
    this.used += length;
    const list = this.byHash.get(hash);
    if (list) list.push(entry);
    else this.byHash.set(hash, [entry]);
  }

  /** Removes every entry whose value matches (its bytes stay in their slab, unused). */
  deleteValue(value: T): void {
    for (const [h, list] of this.byHash) {
      const kept = list.filter((e) => e.value !== value);
      if (kept.length === 0) this.byHash.delete(h);
      else if (kept.length !== list.length) this.byHash.set(h, kept);
    }
  }
}
