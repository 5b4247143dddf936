import { ManualClock, silentLogger } from '@motley/exporter-kit';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import { ScrapeLoop } from './scrape-loop.js';

const INTERVAL = 15_000;

function loop(key: string): ScrapeLoop {
  return new ScrapeLoop({
    key,
    url: `http://${key}/metrics`,
    interval: INTERVAL,
    timeout: 10_000,
    rules: {
      targetLabels: [],
      honorLabels: false,
      honorTimestamps: true,
      metricRelabelConfigs: [],
      sampleLimit: 0,
      labelLimit: 0,
      labelNameLengthLimit: 0,
      labelValueLengthLimit: 0,
    },
    fetch: () => Promise.reject(new Error('not used')),
    appendable: new MemoryStorage(),
    clock: new ManualClock(0),
    log: silentLogger,
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
});
