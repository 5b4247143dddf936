// Protobuf pieces written byte by byte, for decoder tests that need exact (and broken) encodings.

/** Varint of a signed 64-bit integer (two's complement for negatives: ten bytes). */
export function int64Varint(x: bigint): number[] {
  let u = BigInt.asUintN(64, x);
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return out;
}

/** A length-delimited field. */
export function lenField(num: number, bytes: number[]): number[] {
  return [(num << 3) | 2, ...int64Varint(BigInt(bytes.length)), ...bytes];
}

/** A Sample's value field (fixed64, field 1) holding `v`. */
export function valueField(v: number): number[] {
  return [0x09, ...new Uint8Array(Float64Array.of(v).buffer)];
}
