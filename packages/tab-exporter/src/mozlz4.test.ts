import { describe, expect, it } from 'vitest';
import { checkLz4Block, decodeMozLz4, encodeMozLz4, MozLz4Error, readMozLz4Header } from './mozlz4.js';

const utf8 = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Deterministic pseudo-random bytes (incompressible input). */
function noise(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function header(size: number): Uint8Array {
  const h = new Uint8Array(12);
  h.set(utf8.encode('mozLz40\0'));
  new DataView(h.buffer).setUint32(8, size, true);
  return h;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

describe('mozlz4 round trips', () => {
  const session = JSON.stringify({
    windows: Array.from({ length: 3 }, (_, w) => ({
      tabs: Array.from({ length: 40 }, (_, t) => ({
        entries: [{ url: `https://example.org/${w}/${t}`, title: 'x'.repeat(t) }],
      })),
    })),
  });

  it.each([
    ['a repetitive session JSON', utf8.encode(session)],
    ['an empty input', new Uint8Array(0)],
    ['a short input lz4js will not compress', utf8.encode('{"windows":[]}')],
    ['exactly 15 bytes (length extension boundary)', utf8.encode('0123456789abcde')],
    ['270 bytes of noise (255 + 15 boundary)', noise(270)],
    ['64 KiB of noise', noise(65_536)],
    ['1 MiB of one repeated byte', new Uint8Array(1 << 20).fill(0x41)],
  ])('%s', (_label, input) => {
    const encoded = encodeMozLz4(input);
    expect(text(encoded.subarray(0, 8))).toBe('mozLz40\0');
    expect(new DataView(encoded.buffer, encoded.byteOffset).getUint32(8, true)).toBe(input.length);
    const decoded = decodeMozLz4(encoded);
    expect(decoded.length).toBe(input.length);
    // Buffer comparison: a deep toEqual over a megabyte takes seconds.
    expect(Buffer.compare(Buffer.from(decoded), Buffer.from(input))).toBe(0);
  });

  it('compresses repetitive data', () => {
    const input = utf8.encode(session);
    expect(encodeMozLz4(input).length).toBeLessThan(input.length / 4);
  });

  it('decodes a hand-written block with an overlapping match', () => {
    // "ab" as literals, then a match of 6 at offset 2 -> "abababab".
    const block = Uint8Array.from([0x22, 0x61, 0x62, 0x02, 0x00]);
    expect(text(decodeMozLz4(concat(header(8), block)))).toBe('abababab');
  });
});

describe('mozlz4 rejects bad files with a clear error', () => {
  const good = encodeMozLz4(
    utf8.encode(JSON.stringify({ windows: [{ tabs: [{}, {}] }], pad: 'y'.repeat(500) })),
  );

  it('wrong magic', () => {
    const bad = good.slice();
    bad[3] = 0x58;
    expect(() => decodeMozLz4(bad)).toThrow(/not a mozlz4 file/);
    expect(() => decodeMozLz4(utf8.encode('{"windows":[]}'))).toThrow(MozLz4Error);
  });

  it('file shorter than the header', () => {
    expect(() => decodeMozLz4(utf8.encode('mozLz40'))).toThrow(/not a mozlz4 file/);
  });

  it('a size over the cap, before allocating anything', () => {
    const huge = concat(header(0xffffffff), Uint8Array.from([0x10, 0x41]));
    expect(readMozLz4Header.bind(null, huge)).toThrow(/4294967295 decompressed bytes, over the limit/);
    expect(() => decodeMozLz4(good, 100)).toThrow(/over the limit of 100/);
  });

  it('truncated block', () => {
    expect(() => decodeMozLz4(good.subarray(0, good.length - 20))).toThrow(/corrupt LZ4 block/);
  });

  it('header size that does not match the block', () => {
    const lying = good.slice();
    lying[8] += 1;
    expect(() => decodeMozLz4(lying)).toThrow(/header says/);
  });

  it('match offset pointing before the data', () => {
    expect(() => checkLz4Block(Uint8Array.from([0x12, 0x61, 0x09, 0x00]), 0, 4, 6)).toThrow(/match offset 9/);
    expect(() => checkLz4Block(Uint8Array.from([0x12, 0x61, 0x00, 0x00]), 0, 4, 6)).toThrow(/match offset 0/);
  });

  it('literal length running past the end', () => {
    expect(() => checkLz4Block(Uint8Array.from([0xf0, 0xff]), 0, 2, 400)).toThrow(/past the end/);
    expect(() => checkLz4Block(Uint8Array.from([0x50, 0x61]), 0, 2, 5)).toThrow(/literals run past/);
  });

  it('random garbage after a valid header never decodes silently', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const junk = concat(header(1000), noise(64, seed));
      expect(() => decodeMozLz4(junk)).toThrow(MozLz4Error);
    }
  });
});

describe('decodeMozLz4 with a scratch buffer', () => {
  const input = new TextEncoder().encode('{"windows":[{"tabs":[{},{},{}]}]}'.repeat(20));
  const file = encodeMozLz4(input);

  it('decodes into the scratch when it is big enough', () => {
    const scratch = new Uint8Array(input.length + 100).fill(0xee);
    const out = decodeMozLz4(file, undefined, scratch);
    expect(out.buffer).toBe(scratch.buffer);
    expect(out.length).toBe(input.length);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(input))).toBe(0);
  });

  it('allocates when the scratch is too small', () => {
    const scratch = new Uint8Array(10);
    const out = decodeMozLz4(file, undefined, scratch);
    expect(out.buffer).not.toBe(scratch.buffer);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(input))).toBe(0);
  });
});
