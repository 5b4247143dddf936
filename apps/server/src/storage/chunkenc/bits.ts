/** Big-endian bit streams for the chunk codec. Values up to 2^53 are written in two 32-bit halves. */

const TWO_32 = 4294967296;

export class BitWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(capacityBytes = 64) {
    this.buf = new Uint8Array(capacityBytes);
  }

  /** Starts over, empty, keeping the buffer (only the bytes written before are cleared). */
  reset(): void {
    this.buf.fill(0, 0, (this.pos >>> 3) + 5);
    this.pos = 0;
  }

  /** Writes the low `bits` bits of `value` (0 <= value < 2^bits, bits <= 32). */
  write(value: number, bits: number): void {
    if (bits === 0) return;
    const pos = this.pos;
    const off = pos & 7;
    if (off + bits > 32) {
      // Does not fit the 32-bit word at the current byte: the top bits first, then the low byte.
      this.write(Math.floor(value / 256), bits - 8);
      this.write(value & 0xff, 8);
      return;
    }
    this.ensure(bits);
    // OR the value into the big-endian 32-bit word at the current byte: four byte stores
    // instead of a loop over the bits of each byte.
    const word = value << (32 - off - bits);
    const b = this.buf;
    const i = pos >>> 3;
    b[i] |= word >>> 24;
    b[i + 1] |= word >>> 16;
    b[i + 2] |= word >>> 8;
    b[i + 3] |= word;
    this.pos = pos + bits;
  }

  /** Writes a non-negative integer below 2^53 in `bits` bits (bits <= 53). */
  writeWide(value: number, bits: number): void {
    if (bits <= 32) {
      this.write(value, bits);
      return;
    }
    const hi = Math.floor(value / TWO_32);
    this.write(hi, bits - 32);
    this.write(value - hi * TWO_32, 32);
  }

  /** A self-delimiting non-negative integer: 6 bits of length, then that many bits. */
  writeVar(value: number): void {
    const len = bitLength(value);
    this.write(len, 6);
    this.writeWide(value, len);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, (this.pos + 7) >>> 3);
  }

  private ensure(bits: number): void {
    // Room for the 32-bit word that write() ORs in at the current byte.
    const need = ((this.pos + bits + 7) >>> 3) + 4;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }
}

export class BitReader {
  private buf: Uint8Array;
  private pos = 0;
  private limit = 0;
  /** Last byte index from which five bytes can be loaded at once. */
  private wordEnd = 0;

  /** Reads `buf[start..end)`, so a chunk inside a larger row needs no view of its own. */
  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.reset(buf, start, end);
  }

  /** Starts over on another byte range: one reader can serve every chunk of a scan. */
  reset(buf: Uint8Array, start = 0, end = buf.length): void {
    this.buf = buf;
    this.pos = start * 8;
    this.limit = end * 8;
    this.wordEnd = end - 5;
  }

  /** Reads `bits` bits (bits <= 32) as a non-negative integer. */
  read(bits: number): number {
    const pos = this.pos;
    if (pos + bits > this.limit) throw new RangeError('chunk is truncated');
    this.pos = pos + bits;
    if (bits === 0) return 0;
    const i = pos >>> 3;
    // Up to 25 bits sit in the big-endian 32-bit word at the current byte whatever the bit
    // offset (7 + 25 = 32): one load and two shifts instead of a loop over bytes; up to 32 bits
    // take the low bits from the fifth byte.
    if (i <= this.wordEnd) {
      const b = this.buf;
      const off = pos & 7;
      const word = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) << off;
      if (bits <= 25) return word >>> (32 - bits);
      return (word | (b[i + 4] >>> (8 - off))) >>> (32 - bits);
    }
    return this.readSlow(pos, bits);
  }

  /** The next `bits` bits (bits <= 32), without moving past them. */
  peek(bits: number): number {
    const pos = this.pos;
    const x = this.read(bits);
    this.pos = pos;
    return x;
  }

  /** The read position in bits, for seek(). */
  get position(): number {
    return this.pos;
  }

  /** Returns to a position taken from `position`. */
  seek(pos: number): void {
    this.pos = pos;
  }

  /** Moves past `bits` bits without reading them. */
  skip(bits: number): void {
    if (this.pos + bits > this.limit) throw new RangeError('chunk is truncated');
    this.pos += bits;
  }

  readWide(bits: number): number {
    if (bits <= 32) return this.read(bits);
    const hi = this.read(bits - 32);
    return hi * TWO_32 + this.read(32);
  }

  readVar(): number {
    return this.readWide(this.read(6));
  }

  /**
   * Reads values[from..to) of `width` bits each (1 <= width <= 25); a value equal to `escape`
   * is followed by 6 bits of length and the value itself. The hot loop of chunk decoding: the
   * position lives in a local and each value is one 32-bit load and two shifts.
   */
  readFixed(into: Float64Array, from: number, to: number, width: number, escapeCode: number): void {
    const b = this.buf;
    const wordEnd = this.wordEnd;
    const shift = 32 - width;
    let pos = this.pos;
    let i = from;
    while (i < to) {
      const at = pos >>> 3;
      if (at > wordEnd || pos + width > this.limit) break;
      const word = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
      const x = (word << (pos & 7)) >>> shift;
      pos += width;
      if (x === escapeCode) {
        this.pos = pos;
        into[i++] = this.readWide(this.read(6));
        pos = this.pos;
      } else {
        into[i++] = x;
      }
    }
    this.pos = pos;
    // The last few bytes of the buffer, where a 32-bit load would run past its end.
    for (; i < to; i++) {
      const x = this.read(width);
      into[i] = x === escapeCode ? this.readWide(this.read(6)) : x;
    }
  }

  /** Byte by byte: wide reads and the last bytes of the buffer. */
  private readSlow(pos: number, bits: number): number {
    let out = 0;
    while (bits > 0) {
      const byte = this.buf[pos >>> 3];
      const avail = 8 - (pos & 7);
      const take = bits < avail ? bits : avail;
      const piece = (byte >>> (avail - take)) & ((1 << take) - 1);
      out = out * (1 << take) + piece;
      pos += take;
      bits -= take;
    }
    return out;
  }
}

/** Number of bits needed for a non-negative integer below 2^53 (0 for 0). */
export function bitLength(x: number): number {
  if (x < TWO_32) return 32 - Math.clz32(x);
  return 64 - Math.clz32(Math.floor(x / TWO_32));
}

/** Zigzag maps signed integers (|x| < 2^52) to non-negative ones: 0,-1,1,-2 -> 0,1,2,3. */
export function zigzag(x: number): number {
  return x >= 0 ? x * 2 : -x * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}
