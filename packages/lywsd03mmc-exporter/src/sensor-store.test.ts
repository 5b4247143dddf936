import { ManualClock } from '@motley/exporter-kit/testing';
import { describe, expect, it } from 'vitest';
import { SensorDirectory } from './sensor-directory.js';
import { sensorFamilies } from './sensor-metrics.js';
import { SensorStore } from './sensor-store.js';

const expiry = { atc1441: 25_000, pvvx: 25_000, bthome: 25_000, mibeacon: 1_500_000, gatt: 750_000 };

describe('SensorStore', () => {
  it('keeps each value for the expiry of the format it came in', () => {
    const clock = new ManualClock(0);
    const store = new SensorStore(clock, expiry);
    store.record('A', { format: 'mibeacon', reading: { humidityPercent: 40 } });
    store.record('A', { format: 'bthome', reading: { temperatureCelsius: -3 } }, { rssi: -70 });
    expect(store.liveSensors()).toEqual([
      {
        mac: 'A',
        lastSeen: 0,
        values: { humidityPercent: 40, temperatureCelsius: -3, rssi: -70 },
        formats: ['mibeacon', 'bthome'],
      },
    ]);
    clock.advance(25_001);
    expect(store.liveSensors()).toEqual([
      { mac: 'A', lastSeen: 0, values: { humidityPercent: 40 }, formats: ['mibeacon'] },
    ]);
    clock.advance(1_500_000);
    expect(store.liveSensors()).toEqual([]);
  });

  it('does not make a sensor out of a frame that carries only a counter', () => {
    const store = new SensorStore(new ManualClock(0), expiry);
    store.record('B', { format: 'mibeacon', reading: { frame: 9 } }, { rssi: -40 });
    expect(store.liveSensors()).toEqual([]);
    expect(store.adverts.get('mibeacon')).toBe(1);
  });

  it('merges split MiBeacon frames and takes each field from the newest frame', () => {
    const clock = new ManualClock(0);
    const store = new SensorStore(clock, expiry);
    store.record('A', { format: 'mibeacon', reading: { temperatureCelsius: -1.5, frame: 1 } });
    clock.advance(1_000);
    store.record('A', { format: 'mibeacon', reading: { humidityPercent: 55, frame: 2 } });
    clock.advance(1_000);
    store.record('A', { format: 'bthome', reading: { temperatureCelsius: -1.25 } }, { rssi: -66 });
    expect(store.liveSensors()).toEqual([
      {
        mac: 'A',
        lastSeen: 2_000,
        values: { temperatureCelsius: -1.25, humidityPercent: 55, frame: 2, rssi: -66 },
        formats: ['mibeacon', 'bthome'],
      },
    ]);
  });

  it('recognises a repeated payload per sender and service', () => {
    const store = new SensorStore(new ManualClock(0), expiry);
    const payload = Buffer.from('0102', 'hex');
    const decoded = { format: 'pvvx' as const, reading: { temperatureCelsius: 1 } };
    store.record('A', decoded, { uuid: '181a', payload });
    expect(store.repeated('A', '181a', Buffer.from('0102', 'hex'))).toBe(decoded);
    expect(store.repeated('A', '181a', Buffer.from('0103', 'hex'))).toBeUndefined();
    expect(store.repeated('C', '181a', payload)).toBeUndefined();
    expect(store.repeated('A', 'fcd2', payload)).toBeUndefined();
  });

  it('renders the anchor names with a name label only for named sensors', () => {
    const store = new SensorStore(new ManualClock(5_000), expiry);
    const dir = new SensorDirectory();
    dir.merge({ mac: 'A4C138000001', name: 'kitchen' });
    store.record('A4C138000001', { format: 'atc1441', reading: { temperatureCelsius: 20.5 } });
    store.record('A4C138000002', { format: 'atc1441', reading: { temperatureCelsius: -0.5 } });
    const temp = sensorFamilies(store, dir).find((f) => f.name === 'thermometer_temperature_celsius');
    expect(temp?.samples).toEqual([
      { labels: { sensor: 'LYWSD03MMC', mac: 'A4C138000001', name: 'kitchen' }, value: 20.5 },
      { labels: { sensor: 'LYWSD03MMC', mac: 'A4C138000002' }, value: -0.5 },
    ]);
    const seen = sensorFamilies(store, dir).find((f) => f.name === 'thermometer_last_seen_timestamp_seconds');
    expect(seen?.samples.map((s) => s.value)).toEqual([5, 5]);
  });
});
