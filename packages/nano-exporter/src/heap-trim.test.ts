import { describe, expect, it } from 'vitest';
import { HeapTrimmer, oldSpaceUsed } from './heap-trim.js';

describe('HeapTrimmer', () => {
  it('collects first to learn the floor, then only after the old generation grew by the budget', () => {
    let used = 10;
    let calls = 0;
    const gc = () => {
      calls++;
      used = 5;
    };
    const t = new HeapTrimmer(gc, 3, () => used);
    t.afterScrape();
    expect(calls).toBe(1);
    used = 7.9;
    t.afterScrape();
    expect(calls).toBe(1);
    used = 8;
    t.afterScrape();
    expect(calls).toBe(2);
    expect(t.collections).toBe(2);
  });

  it('does nothing without an exposed gc', () => {
    const t = new HeapTrimmer(undefined, 0, () => 1e9);
    t.afterScrape();
    expect(t.enabled).toBe(false);
    expect(t.collections).toBe(0);
  });

  it('reads the old generation of this process', () => {
    expect(oldSpaceUsed()).toBeGreaterThan(0);
  });
});
