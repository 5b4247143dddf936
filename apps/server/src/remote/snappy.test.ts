import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeSnappy, SnappyError } from './snappy.js';

const snappy = createRequire(import.meta.url)('snappyjs') as { compress(b: Uint8Array): Uint8Array };

function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
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
      Buffer.from(Array.from({ length: 3000 }, () => words[Math.floor(rnd() * words.length)]).join(' ')),
    ];
    const scratch = { buffer: Buffer.alloc(0) };
    for (const input of inputs) {
      const packed = snappy.compress(input);
      expect(Buffer.compare(decodeSnappy(packed, 1 << 20), Buffer.from(input))).toBe(0);
      // The scratch buffer is reused across calls: the same result.
      expect(Buffer.compare(decodeSnappy(packed, 1 << 20, scratch), Buffer.from(input))).toBe(0);
    }
  });

  it('rejects a copy from before the start of the output', () => {
    // Header: 8 bytes; then a 1-byte-offset copy (kind 1) of 4 bytes at offset 5 with no output yet.
    expect(() => decodeSnappy(Uint8Array.from([8, 0x01, 5]), 100)).toThrow(SnappyError);
  });
});
