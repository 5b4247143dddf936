import { ManualClock } from '@motley/exporter-kit/testing';
import { describe, expect, it } from 'vitest';
import { GattPoller } from './gatt-poller.js';
import { SensorStore } from './sensor-store.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('GattPoller', () => {
  const clock = new ManualClock();
  const make = () =>
    new GattPoller({
      macs: ['A4C138000001'],
      store: new SensorStore(clock, { atc1441: 1, pvvx: 1, bthome: 1, mibeacon: 1, gatt: 1 }),
      clock,
      log: silent,
      intervalMs: 60_000,
      timeoutMs: 1_000,
      maxBackoffMs: 600_000,
      ready: () => true,
    });

  it('backs off exponentially after failures, up to the limit', () => {
    const p = make();
    expect([0, 1, 2, 3, 4, 5, 10].map((f) => p.backoff(f))).toEqual([
      60_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000,
    ]);
  });

  it('reports a sensor it has not seen advertising as not_seen', async () => {
    const p = make();
    expect(await p.pollOnce('A4C138000001')).toBe('not_seen');
    const samples = p.families()[0].samples;
    expect(samples.find((s) => s.labels?.result === 'not_seen')?.value).toBe(1);
  });
});
