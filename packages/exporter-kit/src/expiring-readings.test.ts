import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { ExpiringReadings } from './expiring-readings.js';

describe('ExpiringReadings', () => {
  it('drops readings older than their own TTL and refreshes on set', () => {
    const clock = new ManualClock(1_000_000);
    const r = new ExpiringReadings<number>(clock);
    r.set('fast', 1, 10_000);
    r.set('slow', 2, 600_000);
    clock.advance(9_000);
    r.set('fast', 3, 10_000);
    clock.advance(9_000);
    expect(r.live().map((x) => [x.key, x.value, x.lastSeen])).toEqual([
      ['fast', 3, 1_009_000],
      ['slow', 2, 1_000_000],
    ]);
    clock.advance(2_000);
    expect(r.live().map((x) => x.key)).toEqual(['slow']);
    expect(r.get('fast')).toBeUndefined();
    clock.advance(600_000);
    expect(r.size).toBe(0);
  });
});
