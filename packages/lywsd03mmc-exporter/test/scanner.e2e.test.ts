import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  ManualClock,
  promtoolCheckMetrics,
  sampleValue,
  startOnRandomPort,
  tempDir,
} from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefinition } from '../src/exporter.js';
import type { Noble } from '../src/noble-types.js';
import { FakeNobleBindings } from './fake-noble-bindings.js';

const withBindings = createRequire(import.meta.url)('@abandonware/noble/with-bindings') as (
  b: unknown,
) => Noble;
const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

// Adverts from four sensors, one per advertising format.
const PVVX = {
  address: 'a4:c1:38:02:83:f4',
  uuid: '181a',
  data: hex('f4830238c1a4 2efb d711 860b 50 11 00'),
}; // -12.34 °C
const ATC = { address: '4c:59:57:53:44:30', uuid: '181a', data: hex('4c5957534430 010c 35 64 0bb8 7b') };
const BTHOME = { address: 'a4:c1:38:aa:bb:cc', uuid: 'fcd2', data: hex('40 003f 015e 028208 03ac17 0c830b') };
const MIBEACON = {
  address: 'a4:c1:38:02:83:f4',
  uuid: 'fe95',
  data: hex('5858 5b05 50 f4830238c1a4 95ef58763c 260000 97e2abb5'),
};

describe('scanner end to end: fake adapter -> real noble -> /metrics', () => {
  const dir = tempDir();
  const clock = new ManualClock(1_800_000_000_000);
  const bindings = new FakeNobleBindings();
  let exporter: Awaited<ReturnType<typeof startOnRandomPort>>;
  const metrics = async () => (await fetch(`${exporter.url}/metrics`)).text();
  const send = (a: { address: string; uuid: string; data: Buffer }, rssi = -60) =>
    bindings.advertise(a.address, [{ uuid: a.uuid, data: a.data }], rssi);

  beforeAll(async () => {
    const config = join(dir.path, 'sensors.yml');
    // The bindkey's MAC is written in lower case with colons; adverts use the sender's address.
    writeFileSync(
      config,
      'sensors:\n  - mac: a4:c1:38:02:83:f4\n    name: balcony\n    bindkey: E9EA895FAC7CCA6D30532432A516F3A8\n',
    );
    exporter = await startOnRandomPort(
      createDefinition({ loadNoble: () => withBindings(bindings) }),
      [`--config.file=${config}`],
      { clock },
    );
    for (let i = 0; i < 100 && !bindings.scanning; i++) await new Promise((r) => setTimeout(r, 10));
  });
  afterAll(async () => {
    await exporter?.stop();
    dir.cleanup();
  });

  it('starts scanning with duplicates allowed once the adapter is powered on', async () => {
    expect(bindings.calls).toContain('startScanning:true');
    await new Promise((r) => setTimeout(r, 20));
    expect(sampleValue(await metrics(), 'thermometer_bluetooth_up', { adapter: 'hci0' })).toBe(1);
    expect(await (await fetch(`${exporter.url}/`)).text()).toContain('scanning on hci0');
  });

  it('publishes every format under the anchor names, labels and units', async () => {
    send(PVVX, -71);
    send(ATC, -55);
    send(BTHOME, -80);
    send(MIBEACON, -70);
    const landing = await (await fetch(`${exporter.url}/`)).text();
    expect(landing).toContain('3 sensors heard within their expiry');
    expect(landing).toContain('A4C1380283F4 (balcony): pvvx, mibeacon, -12.34 °C, last heard 0 s ago');
    const text = await metrics();
    const pvvx = { sensor: 'LYWSD03MMC', mac: 'A4C1380283F4', name: 'balcony' };
    expect(sampleValue(text, 'thermometer_temperature_celsius', pvvx)).toBe(-12.34);
    // The MiBeacon frame (humidity only) arrived after the pvvx one and overrides humidity.
    expect(sampleValue(text, 'thermometer_humidity_ratio', pvvx)).toBe(46.7);
    expect(sampleValue(text, 'thermometer_battery_ratio', pvvx)).toBe(80);
    expect(sampleValue(text, 'thermometer_battery_volts', pvvx)).toBe(2.95);
    expect(sampleValue(text, 'thermometer_rssi_dbm', pvvx)).toBe(-70);
    const atc = { sensor: 'LYWSD03MMC', mac: '4C5957534430' };
    expect(sampleValue(text, 'thermometer_temperature_celsius', atc)).toBe(26.8);
    expect(sampleValue(text, 'thermometer_frame_current', atc)).toBe(123);
    expect(text).toMatch(/thermometer_temperature_celsius\{sensor="LYWSD03MMC",mac="4C5957534430"\} 26.8/);
    const bthome = { sensor: 'LYWSD03MMC', mac: 'A4C138AABBCC' };
    expect(sampleValue(text, 'thermometer_temperature_celsius', bthome)).toBe(21.78);
    expect(sampleValue(text, 'thermometer_humidity_ratio', bthome)).toBe(60.6);
    expect(sampleValue(text, 'thermometer_battery_volts', bthome)).toBe(2.947);
    expect(sampleValue(text, 'thermometer_last_seen_timestamp_seconds', bthome)).toBe(1_800_000_000);
    for (const format of ['pvvx', 'atc1441', 'bthome', 'mibeacon']) {
      expect(sampleValue(text, 'thermometer_adverts_total', { format })).toBe(1);
    }
    const check = promtoolCheckMetrics(text);
    if (check) expect(check.output).toBe('');
  });

  it('counts a repeated frame once and refreshes its last-seen time', async () => {
    clock.advance(2_000);
    send(ATC, -50);
    const text = await metrics();
    expect(sampleValue(text, 'thermometer_adverts_total', { format: 'atc1441' })).toBe(1);
    expect(sampleValue(text, 'thermometer_duplicate_adverts_total', { format: 'atc1441' })).toBe(1);
    expect(sampleValue(text, 'thermometer_rssi_dbm', { mac: '4C5957534430' })).toBe(-50);
    expect(sampleValue(text, 'thermometer_last_seen_timestamp_seconds', { mac: '4C5957534430' })).toBe(
      1_800_000_002,
    );
  });

  it('counts bad payloads per reason and keeps serving', async () => {
    send({ address: '4c:59:57:53:44:30', uuid: '181a', data: hex('4c5957534430 010c') });
    send({ address: 'a4:c1:38:00:00:01', uuid: 'fe95', data: MIBEACON.data });
    send({ address: 'a4:c1:38:00:00:02', uuid: 'fcd2', data: hex('40 02ca09 ee01') });
    // Service data of unrelated devices is not a decode error.
    send({ address: '11:22:33:44:55:66', uuid: 'fe2c', data: hex('0011') });
    const text = await metrics();
    expect(sampleValue(text, 'thermometer_decode_errors_total', { reason: 'truncated' })).toBe(1);
    expect(sampleValue(text, 'thermometer_decode_errors_total', { reason: 'mac_mismatch' })).toBe(1);
    expect(sampleValue(text, 'thermometer_decode_errors_total', { reason: 'unknown_object' })).toBe(1);
    expect(sampleValue(text, 'thermometer_temperature_celsius', { mac: '4C5957534430' })).toBe(26.8);
    expect(sampleValue(text, 'thermometer_temperature_celsius', { mac: 'A4C138000001' })).toBeUndefined();
  });

  it('expires each format after its own expiry', async () => {
    clock.advance(24_000); // pvvx and BTHome 26 s old, atc1441 24 s, MiBeacon 26 s
    let text = await metrics();
    expect(sampleValue(text, 'thermometer_temperature_celsius', { mac: 'A4C138AABBCC' })).toBeUndefined();
    expect(sampleValue(text, 'thermometer_temperature_celsius', { mac: 'A4C1380283F4' })).toBeUndefined();
    expect(sampleValue(text, 'thermometer_humidity_ratio', { mac: 'A4C1380283F4' })).toBe(46.7);
    expect(sampleValue(text, 'thermometer_temperature_celsius', { mac: '4C5957534430' })).toBe(26.8);
    clock.advance(25 * 60_000);
    text = await metrics();
    expect(text).not.toMatch(/^thermometer_(temperature|humidity|battery|rssi|frame|last_seen)/m);
    expect(sampleValue(text, 'thermometer_adverts_total', { format: 'bthome' })).toBe(1);
  });

  it('reports a powered-off adapter and resumes when it comes back', async () => {
    bindings.setState('poweredOff');
    expect(sampleValue(await metrics(), 'thermometer_bluetooth_up')).toBe(0);
    expect(await (await fetch(`${exporter.url}/`)).text()).toContain('powered off');
    bindings.setState('poweredOn');
    await new Promise((r) => setTimeout(r, 20));
    expect(sampleValue(await metrics(), 'thermometer_bluetooth_up')).toBe(1);
  });
});

describe('a host without Bluetooth', () => {
  it('serves /metrics with bluetooth_up 0, explains why on /, and keeps retrying', async () => {
    let attempts = 0;
    const loader = () => {
      attempts++;
      throw Object.assign(new Error('EAFNOSUPPORT, Address family not supported by protocol'), {
        code: 'EAFNOSUPPORT',
      });
    };
    const exporter = await startOnRandomPort(createDefinition({ loadNoble: loader }), [
      '--bluetooth.retry-interval=50ms',
      '--bluetooth.adapter=hci1',
    ]);
    try {
      const text = await (await fetch(`${exporter.url}/metrics`)).text();
      expect(sampleValue(text, 'thermometer_bluetooth_up', { adapter: 'hci1' })).toBe(0);
      expect(sampleValue(text, 'thermometer_scrape_collector_success', { collector: 'sensors' })).toBe(1);
      const landing = await (await fetch(`${exporter.url}/`)).text();
      expect(landing).toContain('this kernel has no Bluetooth support (EAFNOSUPPORT)');
      await new Promise((r) => setTimeout(r, 300));
      expect(attempts).toBeGreaterThanOrEqual(3);
    } finally {
      await exporter.stop();
    }
    const after = attempts;
    await new Promise((r) => setTimeout(r, 150));
    expect(attempts).toBe(after);
  });

  it('explains an adapter that noble cannot initialise', async () => {
    const bindings = new FakeNobleBindings(
      'poweredOn',
      Object.assign(new Error('ENODEV, No such device'), { code: 'ENODEV' }),
    );
    const exporter = await startOnRandomPort(createDefinition({ loadNoble: () => withBindings(bindings) }), [
      '-i',
      '3',
    ]);
    try {
      await new Promise((r) => setTimeout(r, 20));
      expect(
        sampleValue(await (await fetch(`${exporter.url}/metrics`)).text(), 'thermometer_bluetooth_up', {
          adapter: 'hci3',
        }),
      ).toBe(0);
      expect(await (await fetch(`${exporter.url}/`)).text()).toContain('no Bluetooth adapter hci3 (ENODEV)');
    } finally {
      await exporter.stop();
    }
  });

  it('rejects a malformed adapter name', async () => {
    await expect(
      startOnRandomPort(
        createDefinition({
          loadNoble: () => {
            throw new Error('unused');
          },
        }),
        ['--bluetooth.adapter=bt0'],
      ),
    ).rejects.toThrow('--bluetooth.adapter: expected hciN (e.g. hci0), got "bt0"');
  });
});

describe('two exporters in one process', () => {
  it('share no state', async () => {
    const a = new FakeNobleBindings();
    const b = new FakeNobleBindings();
    const clock = new ManualClock();
    const one = await startOnRandomPort(createDefinition({ loadNoble: () => withBindings(a) }), [], {
      clock,
    });
    const two = await startOnRandomPort(createDefinition({ loadNoble: () => withBindings(b) }), [], {
      clock,
    });
    try {
      for (let i = 0; i < 100 && !(a.scanning && b.scanning); i++)
        await new Promise((r) => setTimeout(r, 10));
      a.advertise(ATC.address, [{ uuid: ATC.uuid, data: ATC.data }]);
      b.advertise(BTHOME.address, [{ uuid: BTHOME.uuid, data: BTHOME.data }]);
      const textOne = await (await fetch(`${one.url}/metrics`)).text();
      const textTwo = await (await fetch(`${two.url}/metrics`)).text();
      expect(sampleValue(textOne, 'thermometer_temperature_celsius', { mac: '4C5957534430' })).toBe(26.8);
      expect(
        sampleValue(textOne, 'thermometer_temperature_celsius', { mac: 'A4C138AABBCC' }),
      ).toBeUndefined();
      expect(sampleValue(textTwo, 'thermometer_temperature_celsius', { mac: 'A4C138AABBCC' })).toBe(21.78);
      expect(sampleValue(textTwo, 'thermometer_adverts_total', { format: 'atc1441' })).toBe(0);
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
