// lz4js ships no types; only the raw-block functions are used here.
declare module 'lz4js' {
  /** Decodes one raw LZ4 block; returns the index in dst after the last byte written. No bounds checks. */
  export function decompressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    dIndex: number,
  ): number;
  /** Encodes one raw LZ4 block; returns its length, or 0 when nothing could be compressed. */
  export function compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number;
  /** The largest block compressBlock can produce for n input bytes. */
  export function compressBound(n: number): number;
}
