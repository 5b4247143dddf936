/**
 * Series looked up by raw bytes plus their hash (see Appender.seriesRefByBytes): the bytes are
 * kept to confirm a hash match, so a collision never mixes two series.
 */
export class RawKeyIndex<T> {
  private readonly byHash = new Map<number, Array<{ bytes: Uint8Array; value: T }>>();

  get(bytes: Uint8Array, start: number, end: number, hash: number): T | undefined {
    const list = this.byHash.get(hash);
    if (!list) return undefined;
    const len = end - start;
    for (const e of list) {
      const k = e.bytes;
      if (k.length !== len) continue;
      if (Buffer.isBuffer(bytes)) {
        // One native comparison instead of a byte loop.
        if (bytes.compare(k, 0, len, start, end) === 0) return e.value;
        continue;
      }
      let i = 0;
      while (i < len && k[i] === bytes[start + i]) i++;
      if (i === len) return e.value;
    }
    return undefined;
  }

  set(bytes: Uint8Array, start: number, end: number, hash: number, value: T): void {
    if (this.get(bytes, start, end, hash) !== undefined) return;
    // A copy: Buffer#slice is a view, and the caller's buffer is reused for the next request.
    const entry = { bytes: new Uint8Array(bytes.subarray(start, end)), value };
    const list = this.byHash.get(hash);
    if (list) list.push(entry);
    else this.byHash.set(hash, [entry]);
  }

  /** Removes every entry whose value matches. */
  deleteValue(value: T): void {
    for (const [h, list] of this.byHash) {
      const kept = list.filter((e) => e.value !== value);
      if (kept.length === 0) this.byHash.delete(h);
      else if (kept.length !== list.length) this.byHash.set(h, kept);
    }
  }
}
