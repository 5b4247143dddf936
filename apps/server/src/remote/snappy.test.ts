import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeSnappy, decodeSnappyTransient, SnappyError } from './snappy.js';

const snappy = createRequire(import.meta.url)('snappyjs') as { compress(b: Uint8Array): Uint8Array };

function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

/** A snappy block by hand: the length header, then the given element bytes. */
function block(length: number, ...elements: number[]): Uint8Array {
  const header: number[] = [];
  for (let n = length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      header.push(n);
      break;
    }
    header.push((n & 127) | 128);
  }
  return Uint8Array.from([...header, ...elements]);
}

function failure(src: Uint8Array, maxLength = 1 << 20): string {
  try {
    decodeSnappy(src, maxLength);
  } catch (e) {
    expect(e).toBeInstanceOf(SnappyError);
    return (e as Error).message;
  }
  throw new Error('decoded without error');
}

describe('decodeSnappy', () => {
  it('round-trips literals, short and long copies, and copies that overlap their own output', () => {
    const rnd = seeded(3);
    const words = Array.from({ length: 40 }, (_, i) => 'x'.repeat(1 + (i % 70)) + String(i));
    const inputs: Uint8Array[] = [
      new Uint8Array(0),
      Uint8Array.from({ length: 5000 }, () => Math.floor(rnd() * 256)), // incompressible literals
      new Uint8Array(10_000).fill(7), // one byte repeated: copies overlapping their output
      Buffer.from('abc'.repeat(3000)), // a three-byte pattern
      Buffer.from('abcdefghi'.repeat(3000)), // a nine-byte pattern: word copies that overlap
      Buffer.from(Array.from({ length: 3000 }, () => words[Math.floor(rnd() * words.length)]).join(' ')),
      Uint8Array.from({ length: 300_000 }, (_, i) => (i % 997 < 500 ? Math.floor(rnd() * 256) : i & 0xff)),
    ];
    for (const input of inputs) {
      const packed = snappy.compress(input);
      expect(Buffer.compare(decodeSnappy(packed, 1 << 20), Buffer.from(input))).toBe(0);
      expect(Buffer.compare(decodeSnappyTransient(packed, 1 << 20), Buffer.from(input))).toBe(0);
    }
  });

  it('decodes literals with 1 to 4 length bytes and copies with 1, 2 and 4 byte offsets', () => {
    const text = Buffer.from('0123456789abcdef'.repeat(8)); // 128 bytes
    // Literal with a 1-byte length (tag 60<<2), then a 4-byte-offset copy of 16 from 128 back.
    const oneByteLength = block(144, 60 << 2, 127, ...text, (15 << 2) | 3, 128, 0, 0, 0);
    expect(decodeSnappy(oneByteLength, 1000).toString()).toBe(`${text}${text.subarray(0, 16)}`);
    // Literal of 200 bytes with a 4-byte length (tag 63<<2), then a 2-byte-offset copy of 8.
    const long = Buffer.alloc(200, 'z');
    const fourByteLength = block(208, 63 << 2, 199, 0, 0, 0, ...long, (7 << 2) | 2, 8, 0);
    expect(decodeSnappy(fourByteLength, 1000).toString()).toBe('z'.repeat(208));
    // A 1-byte-offset copy (kind 1) of 4 bytes, 2 back: an overlapping pattern.
    expect(decodeSnappy(block(6, 1 << 2, 0x61, 0x62, 0x01, 2), 100).toString()).toBe('ababab');
  });

  it('names each kind of damage and never reads outside the body', () => {
    expect(failure(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80]))).toMatch(/unterminated length/);
    expect(failure(block(10, 62 << 2, 1))).toMatch(/truncated literal length/);
    expect(failure(block(10, 9 << 2, 1, 2, 3))).toMatch(/literal overruns/); // 10 announced, 3 present
    expect(failure(block(2, 4 << 2, 1, 2, 3, 4, 5))).toMatch(/literal overruns/); // 5 bytes into 2
    // A literal length of 2^32 - 1 must not wrap around to a short one.
    expect(failure(block(10, 63 << 2, 0xff, 0xff, 0xff, 0xff, 1, 2))).toMatch(/literal overruns/);
    expect(failure(block(8, 0x01))).toMatch(/truncated copy/);
    expect(failure(block(8, 0x02, 1))).toMatch(/truncated copy/);
    expect(failure(block(8, 0x03, 1, 0, 0))).toMatch(/truncated copy/);
    expect(failure(block(8, 0x01, 5))).toMatch(/offset outside/); // nothing written yet
    expect(failure(block(8, 0, 0x61, 0x01, 0))).toMatch(/offset outside/); // offset 0
    expect(failure(block(8, 0, 0x61, 0x03, 0xff, 0xff, 0xff, 0xff))).toMatch(/offset outside/);
    expect(failure(block(4, 0, 0x61, (7 << 2) | 2, 1, 0))).toMatch(/copy overruns/);
    expect(failure(block(5, 0, 0x61))).toMatch(/decoded 1 bytes, header announced 5/);
    expect(failure(block(1 << 30), 1 << 20)).toMatch(/announces 1073741824 bytes, more than the limit/);
    // Damage does not stick: the next good block decodes.
    expect(decodeSnappy(snappy.compress(Buffer.from('fine')), 100).toString()).toBe('fine');
  });

  it('keeps a copy valid across calls, a transient view only until the next one', () => {
    const first = snappy.compress(Buffer.from('first block'));
    const kept = decodeSnappy(first, 100);
    const transient = decodeSnappyTransient(first, 100);
    decodeSnappy(snappy.compress(Buffer.from('other bytes')), 100);
    expect(kept.toString()).toBe('first block');
    expect(transient.toString()).not.toBe('first block');
  });

  it('decodes a block larger than the memory it keeps, then small ones again', () => {
    const big = Buffer.alloc(40 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    expect(Buffer.compare(decodeSnappy(snappy.compress(big), big.length), big)).toBe(0);
    expect(decodeSnappy(snappy.compress(Buffer.from('small')), 100).toString()).toBe('small');
  });
});
