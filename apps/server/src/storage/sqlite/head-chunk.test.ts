import { describe, expect, it } from 'vitest';
import { HeadArena, type HeadChunk } from './head-chunk.js';

const f64 = new Float64Array(1);
const words = new Uint32Array(f64.buffer);
function add(h: HeadChunk, t: number, v: number): void {
  f64[0] = v;
  h.add(t, words[0], words[1]);
}
function contents(h: HeadChunk): Array<[number, number]> {
  const { t, v } = h.samples();
  return Array.from({ length: h.n }, (_, i) => [t[i], v[i]]);
}

describe('HeadChunk in a HeadArena', () => {
  it('keeps series of one block apart, and series in different blocks', () => {
    // 20 samples: two full bands of 8 positions and a partial one.
    const arena = new HeadArena(20);
    const ids = [1, 2, 16383, 16384, 40000];
    const heads = ids.map((id) => arena.chunk(id));
    // Every chunk filled to its limit: neighbouring chunks must not share a cell.
    const positions = Array.from({ length: 20 }, (_, i) => i);
    for (const i of positions)
      for (let k = 0; k < heads.length; k++) add(heads[k], 1000 * i, ids[k] + i / 10);
    heads.forEach((h, k) => {
      expect(contents(h)).toEqual(positions.map((i) => [1000 * i, ids[k] + i / 10]));
    });
  });

  it('sorts samples that come out of order, and keeps the last value of a repeated timestamp', () => {
    const h = new HeadArena(8).chunk(7);
    add(h, 3000, 3);
    add(h, 1000, 1); // before the first: the offsets are rebased
    add(h, 2000, 2);
    add(h, 2000, 2.5);
    add(h, 4000, 4);
    expect(contents(h)).toEqual([
      [1000, 1],
      [2000, 2.5],
      [3000, 3],
      [4000, 4],
    ]);
    expect([h.mint, h.maxt, h.time(2)]).toEqual([1000, 4000, 3000]);
    expect(h.samples(1, 3).t.subarray(0, 2)).toEqual(new Float64Array([2000, 3000]));
  });

  it('keeps NaN payloads (staleness markers) bit for bit', () => {
    const h = new HeadArena(4).chunk(3);
    h.add(1_700_000_000_000, 0x00000002, 0x7ff00000); // Prometheus' staleness marker
    h.add(1_700_000_015_000, 0x00000001, 0x7ff80000);
    const v = new Uint32Array(h.samples().v.buffer, 0, 4);
    expect(Array.from(v)).toEqual([0x00000002, 0x7ff00000, 0x00000001, 0x7ff80000]);
  });

  it('spans less than 2^31 ms: fits() refuses a timestamp that would stretch it further', () => {
    const h = new HeadArena(8).chunk(1);
    const t0 = 1_700_000_000_000;
    add(h, t0, 1);
    expect(h.fits(t0 + 0x7fffffff)).toBe(true);
    expect(h.fits(t0 + 0x80000000)).toBe(false);
    expect(h.fits(t0 - 0x80000000)).toBe(false);
    add(h, t0 + 0x7fffffff - 10, 2);
    add(h, t0 - 5, 0); // rebase, still within the span
    expect(h.fits(t0 - 11)).toBe(false);
    expect(h.fits(t0 + 0x7fffffff - 5)).toBe(true);
    expect(contents(h)).toEqual([
      [t0 - 5, 0],
      [t0, 1],
      [t0 + 0x7fffffff - 10, 2],
    ]);
    expect(() => add(h, t0 + 0x7fffffff, 3)).toThrow(/seal it/);
  });

  it('loads a checkpointed chunk, starts over after reset, and refuses more than its limit', () => {
    const h = new HeadArena(3).chunk(5);
    h.load(new Float64Array([10, 20, 30]), new Float64Array([1, -0, Number.POSITIVE_INFINITY]));
    expect(contents(h)).toEqual([
      [10, 1],
      [20, -0],
      [30, Number.POSITIVE_INFINITY],
    ]);
    expect(() => add(h, 40, 4)).toThrow(/full/);
    expect(() => add(h, 15, 1.5)).toThrow(/full/); // refused before anything moved
    add(h, 20, 2); // a repeated timestamp still replaces its value
    expect(contents(h)).toEqual([
      [10, 1],
      [20, 2],
      [30, Number.POSITIVE_INFINITY],
    ]);
    h.reset();
    expect([h.n, h.mint, h.maxt]).toEqual([0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    add(h, 50, 5);
    expect(contents(h)).toEqual([[50, 5]]);
    expect(() => h.load(new Float64Array(4), new Float64Array(4))).toThrow(/at most 3/);
  });
});
