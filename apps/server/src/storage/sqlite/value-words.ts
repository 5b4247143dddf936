const EMPTY = new Float64Array(0);
const EMPTY_WORDS = new Uint32Array(0);

/**
 * Copies float64 values as pairs of 32-bit words, so NaN payloads (staleness markers) stay bit
 * for bit. The word view of the last source array is kept: callers copy a few values at a time
 * from the same array (a decoded request, a decoder's scratch) many times in a row.
 */
export class ValueWordCopier {
  private source: Float64Array = EMPTY;
  private sourceWords: Uint32Array = EMPTY_WORDS;

  /** Copies v[from..to) into the values whose words are `dst`, from value index `at` on. */
  copy(dst: Uint32Array, at: number, v: Float64Array, from: number, to: number): void {
    if (v !== this.source) {
      this.source = v;
      this.sourceWords = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
    }
    const src = this.sourceWords;
    for (let k = 2 * from, w = 2 * at; k < 2 * to; k++, w++) dst[w] = src[k];
  }

  /** Drops the reference to the last source array. */
  forget(): void {
    this.source = EMPTY;
    this.sourceWords = EMPTY_WORDS;
  }
}
