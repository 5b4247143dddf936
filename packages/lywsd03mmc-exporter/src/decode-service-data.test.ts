import { describe, expect, it } from 'vitest';
import { decodeServiceData, shortUuid } from './decode-service-data.js';
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

describe('decodeServiceData', () => {
  it('accepts every spelling of a 16-bit UUID', () => {
    for (const u of ['fcd2', 'FCD2', '0xFCD2', '0000fcd2-0000-1000-8000-00805f9b34fb'])
      expect(shortUuid(u)).toBe('fcd2');
  });

  it('tells atc1441 and pvvx apart by length under 0x181A', () => {
    expect(decodeServiceData('181a', hex('4c5957534430 010c 35 64 0bb8 7b')).format).toBe('atc1441');
    expect(decodeServiceData('181a', hex('f4830238c1a4 a906 6911 b60b 58 f7 0d')).format).toBe('pvvx');
    expect(reasonOf(() => decodeServiceData('181a', hex('f4830238c1a4 a906 6911 b60b 58 f7')))).toBe(
      'bad_length',
    );
    expect(reasonOf(() => decodeServiceData('181a', hex('f4830238c1a4')))).toBe('truncated');
  });

  it('rejects a payload MAC that differs from the sender', () => {
    expect(
      reasonOf(() =>
        decodeServiceData('181a', hex('4c5957534430 010c 35 64 0bb8 7b'), { mac: '4C5957534431' }),
      ),
    ).toBe('mac_mismatch');
    expect(
      decodeServiceData('181a', hex('4c5957534430 010c 35 64 0bb8 7b'), { mac: '4C5957534430' }).mac,
    ).toBe('4C5957534430');
  });

  it('labels BTHome readings with the sender and looks its bindkey up by MAC', () => {
    const key = hex('231d39c1d7cc1ab1aee224cd096db932');
    const d = decodeServiceData('fcd2', hex('41 a47266c95f73 00112233 78237214'), {
      mac: '5448E68F80A5',
      bindkeyFor: (m) => (m === '5448E68F80A5' ? key : undefined),
    });
    expect(d.mac).toBe('5448E68F80A5');
    expect(d.reading.temperatureCelsius).toBe(25.06);
  });

  it('refuses UUIDs that are not thermometer formats', () => {
    expect(reasonOf(() => decodeServiceData('feaa', hex('00')))).toBe('unsupported_format');
  });
});
