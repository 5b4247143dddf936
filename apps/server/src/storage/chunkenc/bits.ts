/** Big-endian bit streams for the chunk codec. Values up to 2^53 are written in two 32-bit halves. */

const TWO_32 = 4294967296;

export class BitWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(capacityBytes = 64) {
    this.buf = new Uint8Array(capacityBytes);
  }

  /** Writes the low `bits` bits of `value` (0 <= value < 2^bits, bits <= 32). */
  write(value: number, bits: number): void {
    if (bits === 0) return;
    this.ensure(bits);
    while (bits > 0) {
      const byteIndex = this.pos >>> 3;
      const free = 8 - (this.pos & 7);
      const take = bits < free ? bits : free;
      const piece = (value >>> (bits - take)) & ((1 << take) - 1);
      this.buf[byteIndex] |= piece << (free - take);
      this.pos += take;
      bits -= take;
    }
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
    const need = ((this.pos + bits + 7) >>> 3) + 1;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }
}

export class BitReader {
  private pos = 0;
  private readonly limit: number;

  constructor(private readonly buf: Uint8Array) {
    this.limit = buf.length * 8;
  }

  read(bits: number): number {
    if (bits === 0) return 0;
    if (this.pos + bits > this.limit) throw new RangeError('chunk is truncated');
    let out = 0;
    while (bits > 0) {
      const byte = this.buf[this.pos >>> 3];
      const avail = 8 - (this.pos & 7);
      const take = bits < avail ? bits : avail;
      const piece = (byte >>> (avail - take)) & ((1 << take) - 1);
      out = out * (1 << take) + piece;
      this.pos += take;
      bits -= take;
    }
    return out;
  }

  readWide(bits: number): number {
    if (bits <= 32) return this.read(bits);
    const hi = this.read(bits - 32);
    return hi * TWO_32 + this.read(32);
  }

  readVar(): number {
    return this.readWide(this.read(6));
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
