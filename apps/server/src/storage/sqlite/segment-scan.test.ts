import { describe, expect, it } from 'vitest';
import { parseSegmentScan } from './segment-scan.js';

describe('parseSegmentScan', () => {
  it('gives each row its byte range, in (series id, mint) order even when the rows were not', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const scan = parseSegmentScan(data, '7 -5000 2 3 100 1 7 -9000 3');
    expect(scan.count).toBe(3);
    expect([...scan.ids]).toEqual([3, 7, 7]);
    expect([...scan.mints]).toEqual([100, -9000, -5000]);
    expect([...scan.starts]).toEqual([2, 3, 0]);
    expect([...scan.ends]).toEqual([3, 6, 2]);
  });

  it('refuses a directory that does not add up to the bytes or does not parse', () => {
    expect(() => parseSegmentScan(new Uint8Array(4), '1 0 3')).toThrow(/does not match/);
    expect(() => parseSegmentScan(new Uint8Array(3), '1 0')).toThrow(/malformed/);
    expect(() => parseSegmentScan(new Uint8Array(3), '1 x 3')).toThrow(/malformed/);
    expect(() => parseSegmentScan(new Uint8Array(3), '1  0 3')).toThrow(/malformed/);
  });
});
