import { createRequire } from 'node:module';
import {
  ManualClock,
  promtoolCheckMetrics,
  sampleValue,
  startOnRandomPort,
} from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STOCK_DATA_CHARACTERISTIC_UUID, STOCK_SERVICE_UUID } from '../src/decode-gatt.js';
import { createDefinition } from '../src/exporter.js';
import type { Noble } from '../src/noble-types.js';
import { FakeNobleBindings } from './fake-noble-bindings.js';

const withBindings = createRequire(import.meta.url)('@abandonware/noble/with-bindings') as (
  b: unknown,
) => Noble;

const clock = new ManualClock(1_800_000_000_000);

/** Waits for a condition while moving the injected clock along with real time. */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(20);
  }
}

describe('GATT polling of stock-firmware sensors through the real noble', () => {
  const bindings = new FakeNobleBindings();
  let exporter: Awaited<ReturnType<typeof startOnRandomPort>>;
  const metrics = async () => (await fetch(`${exporter.url}/metrics`)).text();
  const polls = async (mac: string, result: string) =>
    sampleValue(await metrics(), 'thermometer_gatt_polls_total', { mac, result }) ?? 0;

  beforeAll(async () => {
    // Two stock sensors in range: one answers with 21 0a 17 7e 0b, one never accepts a connection.
    bindings.devices.set('a4c138000001', {
      answers: true,
      characteristics: {
        [STOCK_SERVICE_UUID]: { [STOCK_DATA_CHARACTERISTIC_UUID]: Buffer.from('0cfe3c7e0b', 'hex') },
      },
    });
    bindings.devices.set('a4c138000002', { answers: false, characteristics: {} });
    // A third one only notifies, never answers reads.
    bindings.devices.set('a4c138000003', {
      answers: true,
      delivers: 'notify',
      characteristics: {
        [STOCK_SERVICE_UUID]: { [STOCK_DATA_CHARACTERISTIC_UUID]: Buffer.from('210a177e0b', 'hex') },
      },
    });
    exporter = await startOnRandomPort(
      createDefinition({ loadNoble: () => withBindings(bindings) }),
      [
        '--gatt.poll-interval=300ms',
        '--gatt.timeout=150ms',
        '--gatt.max-backoff=600ms',
        'A4:C1:38:00:00:01',
        'a4c138000002',
        'A4-C1-38-00-00-03',
      ],
      { clock },
    );
    await until('scanning', () => bindings.scanning);
    // Stock sensors advertise (encrypted MiBeacon); the poller needs to have seen them.
    bindings.advertise('a4:c1:38:00:00:01', [], -58);
    bindings.advertise('a4:c1:38:00:00:02', [], -90);
    bindings.advertise('a4:c1:38:00:00:03', [], -61);
  });
  afterAll(async () => {
    await exporter?.stop();
  });

  it('reads the stock characteristic and publishes a signed temperature', async () => {
    await until('a successful poll', async () => (await polls('A4C138000001', 'ok')) >= 1);
    const text = await metrics();
    const labels = { sensor: 'LYWSD03MMC', mac: 'A4C138000001' };
    expect(sampleValue(text, 'thermometer_temperature_celsius', labels)).toBe(-5);
    expect(sampleValue(text, 'thermometer_humidity_ratio', labels)).toBe(60);
    expect(sampleValue(text, 'thermometer_battery_volts', labels)).toBe(2.942);
    expect(sampleValue(text, 'thermometer_rssi_dbm', labels)).toBe(-58);
    expect(bindings.calls).toContain('disconnect:a4c138000001');
    const check = promtoolCheckMetrics(text);
    if (check) expect(check.output).toBe('');
  });

  it('takes the value from a notification when the sensor does not answer reads', async () => {
    await until('a poll by notification', async () => (await polls('A4C138000003', 'ok')) >= 1);
    const text = await metrics();
    expect(sampleValue(text, 'thermometer_temperature_celsius', { mac: 'A4C138000003' })).toBe(25.93);
    expect(sampleValue(text, 'thermometer_humidity_ratio', { mac: 'A4C138000003' })).toBe(23);
    expect(bindings.calls).toContain('notify:a4c138000003:true');
  });

  it('times out on a sensor that never answers, cancels the attempt and keeps polling the other', async () => {
    await until('a timed-out poll', async () => (await polls('A4C138000002', 'timeout')) >= 2);
    expect(bindings.calls).toContain('cancelConnect:a4c138000002');
    expect(
      sampleValue(await metrics(), 'thermometer_temperature_celsius', { mac: 'A4C138000002' }),
    ).toBeUndefined();
    const before = await polls('A4C138000001', 'ok');
    await until('more successful polls', async () => (await polls('A4C138000001', 'ok')) > before);
  });

  it('expires GATT readings 2.5 poll intervals after the last successful read', async () => {
    bindings.devices.get('a4c138000001')!.answers = false;
    await new Promise((r) => setTimeout(r, 400));
    expect(sampleValue(await metrics(), 'thermometer_temperature_celsius', { mac: 'A4C138000001' })).toBe(-5);
    clock.advance(751);
    expect(
      sampleValue(await metrics(), 'thermometer_temperature_celsius', { mac: 'A4C138000001' }),
    ).toBeUndefined();
  });
});
