import { ManualClock, silentLogger } from '@motley/exporter-kit';
import { describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import { plainSampleRules } from './append-samples.js';
import { type Fetcher, ScrapeLoop } from './scrape-loop.js';
import { ScrapeMetrics } from './scrape-metrics.js';

const INTERVAL = 15_000;

function loop(key: string, interval = INTERVAL, fetch?: Fetcher, metrics?: ScrapeMetrics): ScrapeLoop {
  return new ScrapeLoop({
    key,
    url: `http://${key}/metrics`,
    interval,
    timeout: 10_000,
    rules: plainSampleRules([]),
    fetch: fetch ?? (() => Promise.reject(new Error('not used'))),
    appendable: new MemoryStorage(),
    clock: fetch ? { now: () => Date.now() } : new ManualClock(0),
    log: silentLogger,
    metrics,
  });
}

describe('scrape loop start offsets', () => {
  it('start each target at a fixed offset within the next interval, spread over it', () => {
    const now = 1_700_000_003_456;
    const firsts = Array.from({ length: 1000 }, (_, i) => loop(`host${i}:9100`).firstScrapeAt(now));
    for (const at of firsts) {
      expect(at).toBeGreaterThanOrEqual(now);
      expect(at).toBeLessThan(now + INTERVAL);
    }
    // The offset depends on the target alone, not on when the loop starts.
    const offsets = firsts.map((at) => at % INTERVAL);
    expect(loop('host0:9100').firstScrapeAt(now + 7 * INTERVAL + 1234) % INTERVAL).toBe(offsets[0]);
    // 1,000 targets do not fire together: they cover most seconds of the interval.
    const seconds = new Set(offsets.map((o) => Math.floor(o / 1000)));
    expect(seconds.size).toBe(INTERVAL / 1000);
    expect(new Set(offsets).size).toBeGreaterThan(900);
  });

  it('skips the slots a scrape overran instead of bunching up', async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const starts: number[] = [];
      const fetch: Fetcher = async () => {
        starts.push(Date.now());
        // The first scrape takes 2.5 intervals.
        if (starts.length === 1) await new Promise((r) => setTimeout(r, 2500));
        throw new Error('down');
      };
      const metrics = new ScrapeMetrics(undefined, () => new Map());
      const l = loop('overrun', 1000, fetch, metrics);
      l.start();
      await vi.advanceTimersByTimeAsync(6000);
      await l.stop(false);
      // It ended 2.5 s after its slot: the two slots it covered are skipped, the next one is kept.
      expect(starts.slice(0, 3).map((t) => t - starts[0])).toEqual([0, 3000, 4000]);
      expect((await metrics.skippedSlots.get()).values[0].value).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
