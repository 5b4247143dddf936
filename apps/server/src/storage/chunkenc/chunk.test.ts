import { describe, expect, it } from 'vitest';
import { decodeChunk, decodeChunkInto, encodeChunk } from './chunk.js';

const STALE = new Float64Array(new Uint32Array([2, 0x7ff00000]).buffer)[0];

function bitsOf(v: Float64Array): string[] {
  const w = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  return Array.from(v, (_, i) => `${w[2 * i + 1].toString(16)}:${w[2 * i].toString(16)}`);
}

function roundTrip(t: number[], v: number[] | Float64Array): { bytes: number } {
  const T = Float64Array.from(t);
  const V = v instanceof Float64Array ? v : Float64Array.from(v);
  const enc = encodeChunk(T, V);
  const dec = decodeChunk(enc, T[0]);
  expect(Array.from(dec.t)).toEqual(t);
  expect(bitsOf(dec.v)).toEqual(bitsOf(V));
  expectWindows(enc, T, V);
  return { bytes: enc.length };
}

/**
 * decodeChunkInto over windows that start and end inside the chunk, with the chunk in the middle
 * of a larger buffer (as in a segment): the same samples as the whole chunk cut to the window.
 */
function expectWindows(enc: Uint8Array, T: Float64Array, V: Float64Array): void {
  const padded = new Uint8Array(enc.length + 11).fill(0xa5);
  padded.set(enc, 7);
  const n = T.length;
  const cuts = [0, 1, n >> 2, n >> 1, n - 2, n - 1].filter((i) => i >= 0 && i < n);
  for (const a of cuts) {
    for (const b of cuts) {
      if (b < a) continue;
      const got: { t: number[]; v: string[] } = { t: [], v: [] };
      decodeChunkInto(
        padded,
        T[0],
        T[a],
        T[b],
        {
          add(t, v, from, to) {
            got.t.push(...t.subarray(from, to));
            got.v.push(...bitsOf(v.subarray(from, to)));
          },
        },
        7,
        7 + enc.length,
      );
      expect(got.t).toEqual(Array.from(T.subarray(a, b + 1)));
      expect(got.v).toEqual(bitsOf(V.subarray(a, b + 1)));
    }
  }
  let calls = 0;
  decodeChunkInto(enc, T[0], T[n - 1] + 1, Number.POSITIVE_INFINITY, { add: () => calls++ });
  expect(calls).toBe(0);
}

function regular(n: number, start = 1_700_000_000_000, step = 15_000, jitter = 0): number[] {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from(
    { length: n },
    (_, i) => start + i * step + Math.floor(rnd() * (2 * jitter + 1)) - jitter,
  );
}

describe('chunk codec', () => {
  it('round-trips awkward values bit-exactly: NaN payloads, stale marker, ±Inf, -0, extremes', () => {
    const specials = [
      NaN,
      STALE,
      Infinity,
      -Infinity,
      -0,
      0,
      1e308,
      -1e308,
      5e-324,
      2.2250738585072014e-308,
      0.1 + 0.2,
      Math.PI,
    ];
    const v = new Float64Array(specials.length * 3);
    for (let i = 0; i < v.length; i++) v[i] = i % 3 === 0 ? specials[i / 3] : i;
    // Write the stale marker through the bit view so that no arithmetic touches it.
    const words = new Uint32Array(v.buffer);
    words[2 * 3 + 1] = 0x7ff00000;
    words[2 * 3] = 2;
    roundTrip(regular(v.length), v);
    const allSpecial = Float64Array.from(specials);
    new Uint32Array(allSpecial.buffer).set([2, 0x7ff00000], 2);
    roundTrip(regular(allSpecial.length), allSpecial);
  });

  it('round-trips counters with resets, gauges with decimals, and single samples', () => {
    const counter: number[] = [];
    let c = 0;
    for (let i = 0; i < 240; i++) {
      c = i === 100 ? 3 : c + 17 + (i % 5);
      counter.push(c);
    }
    roundTrip(regular(240, undefined, undefined, 2), counter);
    roundTrip(
      regular(240),
      Array.from({ length: 240 }, (_, i) => Math.round(Math.sin(i) * 10000) / 100),
    );
    roundTrip([42], [1.5]);
    roundTrip([-5_000], [NaN]);
    roundTrip([0, 1], [9007199254740991, -9007199254740991]);
  });

  it('round-trips irregular timestamps: gaps, changed intervals, negative times', () => {
    roundTrip(
      [-100_000, -50_000, 0, 1, 2, 60_000, 60_001, 10_000_000_000, 10_000_015_000],
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    const gappy = regular(120, undefined, 10_000, 3);
    gappy.splice(40, 10);
    for (let i = 60; i < gappy.length; i++) gappy[i] += 3_600_000;
    roundTrip(
      gappy,
      gappy.map((_, i) => i * 0.25),
    );
  });

  it('keeps a constant series and a steady scrape under a bit per sample', () => {
    const t = regular(240);
    expect(roundTrip(t, new Array(240).fill(123.45)).bytes).toBeLessThan(30);
    const jittered = regular(240, undefined, 15_000, 2);
    // +-2 ms jitter costs about 3-4 bits per sample; the constant value almost nothing.
    expect(roundTrip(jittered, new Array(240).fill(7)).bytes).toBeLessThan(140);
  });

  it('encodes a chunk to the same bytes whatever was encoded before it (buffers are reused)', () => {
    const t = Float64Array.from(regular(120, 1_700_000_000_000, 15_000, 2));
    const v = Float64Array.from(t, (_, i) => (i * 7) % 13);
    const alone = encodeChunk(t, v);
    // A long chunk of wide raw values fills the shared buffers with set bits.
    const noisyT = Float64Array.from(regular(2000, 0, 1000, 400));
    const noisyV = Float64Array.from(noisyT, (_, i) => Math.sin(i) * 1e300);
    encodeChunk(noisyT, noisyV);
    expect(Array.from(encodeChunk(t, v))).toEqual(Array.from(alone));
    expect(Array.from(decodeChunk(encodeChunk(t, v), t[0]).v)).toEqual(Array.from(v));
  });

  it('rejects foreign and truncated byte strings with RangeError', () => {
    const enc = encodeChunk(
      Float64Array.from(regular(50)),
      Float64Array.from({ length: 50 }, (_, i) => i * 1.1),
    );
    expect(() => decodeChunk(enc.subarray(0, 5), 0)).toThrow(RangeError);
    expect(() => decodeChunk(new Uint8Array([0xff, 0xff]), 0)).toThrow(RangeError);
  });
});
