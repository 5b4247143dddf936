import { describe, expect, it } from 'vitest';
import { HeapTrimmer, usedHeap } from './heap-trim.js';

describe('HeapTrimmer', () => {
  it('scavenges after every scrape and collects fully once the heap grew by the budget', () => {
    let used = 10;
    const calls: string[] = [];
    const t = new HeapTrimmer(
      (kind) => {
        calls.push(kind);
        if (kind === 'major') used = 5;
      },
      3,
      1,
      () => used,
    );
    t.afterScrape();
    expect(calls).toEqual(['minor', 'major']);
    used = 7.9;
    t.afterScrape();
    expect(calls).toEqual(['minor', 'major', 'minor']);
    used = 8;
    t.afterScrape();
    expect(calls).toEqual(['minor', 'major', 'minor', 'minor', 'major']);
    expect(t.collections).toBe(2);
  });

  it('looks at the heap size only every checkEvery scrapes', () => {
    let looks = 0;
    const t = new HeapTrimmer(
      () => {},
      1,
      3,
      () => {
        looks++;
        return 0;
      },
    );
    for (let i = 0; i < 7; i++) t.afterScrape();
    // Scrapes 1, 4 and 7; the full collection after the first reads it once more.
    expect(looks).toBe(4);
  });

  it('does nothing without an exposed gc', () => {
    const t = new HeapTrimmer(undefined, 0, 1, () => 1e9);
    t.afterScrape();
    expect(t.enabled).toBe(false);
    expect(t.collections).toBe(0);
  });

  it('reads the heap of this process', () => {
    expect(usedHeap()).toBeGreaterThan(1024 * 1024);
  });
});
