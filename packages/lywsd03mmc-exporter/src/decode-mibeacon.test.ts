import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeMibeacon } from './decode-mibeacon.js';
import type { DecodeError } from './reading.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const reasonOf = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as DecodeError).reason;
  }
};

// A stock LYWSD03MMC v5 encrypted humidity frame and its bindkey, as published with the
// MiBeacon v5 protocol notes of the xiaomi-ble project.
const V5_FRAME = hex('5858 5b05 50 f4830238c1a4 95ef58763c 260000 97e2abb5');
const V5_KEY = hex('e9ea895fac7cca6d30532432a516f3a8');
const V5_MAC = 'A4C1380283F4';

/** Seals objects the way v5 firmware does, for vectors the public notes do not have. */
function sealV5(mac: string, key: Buffer, counter: number, objects: Buffer, ext = hex('010000')): Buffer {
  const macLe = Buffer.from(mac, 'hex').reverse();
  const head = Buffer.concat([hex('5858 5b05'), Buffer.from([counter]), macLe]);
  const nonce = Buffer.concat([macLe, head.subarray(2, 5), ext]);
  const c = createCipheriv('aes-128-ccm', key, nonce, { authTagLength: 4 });
  c.setAAD(Buffer.from([0x11]), { plaintextLength: objects.length });
  const ct = Buffer.concat([c.update(objects), c.final()]);
  return Buffer.concat([head, ct, ext, c.getAuthTag()]);
}

describe('decodeMibeacon', () => {
  it('decodes an unencrypted v3 temperature+humidity object (0x100D)', () => {
    const d = decodeMibeacon(hex('5030 5b05 03 4c94b438c1a4 0d1004 1001 ea01'));
    expect(d.mac).toBe('A4C138B4944C');
    expect(d.encrypted).toBe(false);
    expect(d.reading).toEqual({ frame: 3, temperatureCelsius: 27.2, humidityPercent: 49 });
    expect(d.details).toMatchObject({ product_id: 0x055b, version: 3 });
  });

  it('decodes an unencrypted v5 frame', () => {
    const d = decodeMibeacon(hex('5059 db78 0d f4f80238c1a4 0d1004 eb00 e701'));
    expect(d.mac).toBe('A4C13802F8F4');
    expect(d.reading).toMatchObject({ temperatureCelsius: 23.5, humidityPercent: 48.7 });
  });

  it('skips the capability byte (flower care frame with capability 0x0d)', () => {
    const d = decodeMibeacon(hex('7120 9800 12 f34f6b8d7cc4 0d 041002 c400'));
    expect(d.mac).toBe('C47C8D6B4FF3');
    expect(d.reading).toEqual({ frame: 0x12, temperatureCelsius: 19.6 });
  });

  it('decrypts a stock v5 frame with its bindkey, whatever the case of the MAC in the lookup', () => {
    const keys = new Map([[V5_MAC, V5_KEY]]);
    const d = decodeMibeacon(V5_FRAME, { mac: V5_MAC, bindkeyFor: (m) => keys.get(m) });
    expect(d.encrypted).toBe(true);
    expect(d.reading).toEqual({ frame: 0x50, humidityPercent: 46.7 });
  });

  it('decodes single temperature (signed), humidity and battery objects', () => {
    const temp = sealV5(V5_MAC, V5_KEY, 7, hex('041002 e7ff'));
    expect(decodeMibeacon(temp, { bindkeyFor: () => V5_KEY }).reading.temperatureCelsius).toBe(-2.5);
    const both = sealV5(V5_MAC, V5_KEY, 8, hex('0d1004 9cff 2c01'));
    expect(decodeMibeacon(both, { bindkeyFor: () => V5_KEY }).reading).toMatchObject({
      temperatureCelsius: -10,
      humidityPercent: 30,
    });
    const batt = sealV5(V5_MAC, V5_KEY, 9, hex('0a1001 5d'));
    expect(decodeMibeacon(batt, { bindkeyFor: () => V5_KEY }).reading.batteryPercent).toBe(93);
    expect(decodeMibeacon(hex('5030 5b05 04 4c94b438c1a4 041002 e7ff')).reading.temperatureCelsius).toBe(
      -2.5,
    );
  });

  it('gives a clear error and no reading for wrong or missing bindkeys', () => {
    const wrong = Buffer.from(V5_KEY);
    wrong[15] ^= 0x80;
    expect(reasonOf(() => decodeMibeacon(V5_FRAME, { bindkeyFor: () => wrong }))).toBe('wrong_bindkey');
    expect(reasonOf(() => decodeMibeacon(V5_FRAME, { bindkeyFor: () => undefined }))).toBe('no_bindkey');
    expect(() => decodeMibeacon(V5_FRAME, {})).toThrow(/no bindkey is configured/);
    const tampered = Buffer.from(V5_FRAME);
    tampered[12] ^= 1;
    expect(reasonOf(() => decodeMibeacon(tampered, { bindkeyFor: () => V5_KEY }))).toBe('wrong_bindkey');
  });

  it('rejects a frame whose MAC differs from the sender', () => {
    expect(reasonOf(() => decodeMibeacon(V5_FRAME, { mac: 'A4C138000000', bindkeyFor: () => V5_KEY }))).toBe(
      'mac_mismatch',
    );
  });

  it('rejects truncated frames and objects', () => {
    expect(reasonOf(() => decodeMibeacon(hex('5030 5b')))).toBe('truncated');
    expect(reasonOf(() => decodeMibeacon(hex('5030 5b05 03 4c94b4')))).toBe('truncated');
    expect(reasonOf(() => decodeMibeacon(hex('5030 5b05 03 4c94b438c1a4 0d1004 1001')))).toBe('truncated');
    expect(reasonOf(() => decodeMibeacon(hex('5030 5b05 03 4c94b438c1a4 0d1002 1001')))).toBe('truncated');
    expect(reasonOf(() => decodeMibeacon(V5_FRAME.subarray(0, 16), { bindkeyFor: () => V5_KEY }))).toBe(
      'truncated',
    );
  });

  it('returns an empty reading for frames without objects', () => {
    expect(decodeMibeacon(hex('1020 5b05 01 4c94b438c1a4 08')).reading).toEqual({});
  });
});
