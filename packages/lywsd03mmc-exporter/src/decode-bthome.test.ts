import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBthome } from './decode-bthome.js';
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

// The example of bthome.io/encryption: key, MAC and the resulting advert.
const SPEC_KEY = hex('231d39c1d7cc1ab1aee224cd096db932');
const SPEC_MAC = '5448E68F80A5';

describe('decodeBthome', () => {
  it('decodes a plain pvvx BTHome v2 advert (packet id, battery, temperature, humidity, voltage)', () => {
    const d = decodeBthome(hex('40 003f 015e 028208 03ac17 0c830b'));
    expect(d.encrypted).toBe(false);
    expect(d.reading).toEqual({
      frame: 63,
      batteryPercent: 94,
      temperatureCelsius: 21.78,
      humidityPercent: 60.6,
      batteryVolts: 2.947,
    });
  });

  it('decodes the object examples of the format page', () => {
    expect(decodeBthome(hex('40 02ca09 03bf13')).reading).toEqual({
      temperatureCelsius: 25.06,
      humidityPercent: 50.55,
    });
    expect(decodeBthome(hex('40 2e23')).reading).toEqual({ humidityPercent: 35 });
    expect(decodeBthome(hex('40 04138a01')).details).toMatchObject({ pressure: 1008.83 });
    expect(decodeBthome(hex('40 5d02ea')).details).toMatchObject({ current: -5.63 });
    expect(decodeBthome(hex('40 5aeaea')).details).toMatchObject({ count: -5398 });
  });

  it('decodes negative temperatures in every temperature object', () => {
    expect(decodeBthome(hex('40 022bfd')).reading.temperatureCelsius).toBe(-7.25);
    expect(decodeBthome(hex('40 45fbff')).reading.temperatureCelsius).toBe(-0.5);
    expect(decodeBthome(hex('40 57ea')).reading.temperatureCelsius).toBe(-22);
    expect(decodeBthome(hex('40 58fe')).reading.temperatureCelsius).toBe(-0.7);
  });

  it('decrypts the bthome.io encryption example', () => {
    const d = decodeBthome(hex('41 a47266c95f73 00112233 78237214'), { mac: SPEC_MAC, bindkey: SPEC_KEY });
    expect(d.encrypted).toBe(true);
    expect(d.reading).toEqual({ temperatureCelsius: 25.06, humidityPercent: 50.55 });
    expect(d.details?.counter).toBe(0x33221100);
  });

  it('decrypts a negative temperature sealed with the spec key', () => {
    const plain = hex('022bfd 03bf13');
    const counter = hex('01000000');
    const nonce = Buffer.concat([Buffer.from(SPEC_MAC, 'hex'), hex('d2fc41'), counter]);
    const c = createCipheriv('aes-128-ccm', SPEC_KEY, nonce, { authTagLength: 4 });
    const ct = Buffer.concat([c.update(plain), c.final()]);
    const advert = Buffer.concat([hex('41'), ct, counter, c.getAuthTag()]);
    expect(decodeBthome(advert, { mac: SPEC_MAC, bindkey: SPEC_KEY }).reading.temperatureCelsius).toBe(-7.25);
  });

  it('gives a clear error and no reading for a wrong or missing bindkey', () => {
    const advert = hex('41 a47266c95f73 00112233 78237214');
    const wrong = Buffer.from(SPEC_KEY);
    wrong[0] ^= 1;
    expect(reasonOf(() => decodeBthome(advert, { mac: SPEC_MAC, bindkey: wrong }))).toBe('wrong_bindkey');
    expect(reasonOf(() => decodeBthome(advert, { mac: '5448E68F80A6', bindkey: SPEC_KEY }))).toBe(
      'wrong_bindkey',
    );
    expect(reasonOf(() => decodeBthome(advert, { mac: SPEC_MAC }))).toBe('no_bindkey');
    expect(() => decodeBthome(advert, { mac: SPEC_MAC, bindkey: wrong })).toThrow(/wrong bindkey/);
  });

  it('rejects truncated objects, unknown objects, other versions and empty payloads', () => {
    expect(reasonOf(() => decodeBthome(hex('40 0282')))).toBe('truncated');
    expect(reasonOf(() => decodeBthome(hex('40 02ca09 03')))).toBe('truncated');
    expect(reasonOf(() => decodeBthome(hex('40 02ca09 ee01')))).toBe('unknown_object');
    expect(reasonOf(() => decodeBthome(hex('20 02ca09')))).toBe('unsupported_version');
    expect(reasonOf(() => decodeBthome(hex('')))).toBe('truncated');
    expect(reasonOf(() => decodeBthome(hex('41 a472 0011')))).toBe('truncated');
  });

  it('reads length-prefixed text objects', () => {
    expect(decodeBthome(hex('40 5304 74657374 02ca09')).details).toMatchObject({ text: 'test' });
  });
});
