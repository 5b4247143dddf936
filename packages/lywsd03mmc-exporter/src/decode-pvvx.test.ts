import { describe, expect, it } from 'vitest';
import { decodePvvx } from './decode-pvvx.js';
import type { DecodeError } from './reading.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('decodePvvx', () => {
  it('decodes the documented little-endian layout with the MAC reversed', () => {
    const d = decodePvvx(hex('304453575 94c 780a b414 b80b 64 7b 00'.replace(/ /g, '')));
    expect(d.mac).toBe('4C5957534430');
    expect(d.reading).toEqual({
      temperatureCelsius: 26.8,
      humidityPercent: 53,
      batteryVolts: 3,
      batteryPercent: 100,
      frame: 123,
    });
    expect(d.details).toEqual({ flags: 0 });
  });

  it('decodes a sensor advert with hundredths and flags', () => {
    const d = decodePvvx(hex('f4830238c1a4 a906 6911 b60b 58 f7 0d'));
    expect(d.mac).toBe('A4C1380283F4');
    expect(d.reading).toEqual({
      temperatureCelsius: 17.05,
      humidityPercent: 44.57,
      batteryVolts: 2.998,
      batteryPercent: 88,
      frame: 247,
    });
    expect(d.details).toEqual({ flags: 13 });
  });

  it('decodes negative temperatures as signed little-endian', () => {
    expect(decodePvvx(hex('030201 38c1a4 2efb d711 860b 50 11 00')).reading.temperatureCelsius).toBe(-12.34);
    expect(decodePvvx(hex('030201 38c1a4 ffff d711 860b 50 11 00')).reading.temperatureCelsius).toBe(-0.01);
  });

  it('rejects 14 and 16 bytes', () => {
    const full = hex('f4830238c1a4 a906 6911 b60b 58 f7 0d');
    const reason = (b: Buffer) => {
      try {
        decodePvvx(b);
        return 'ok';
      } catch (e) {
        return (e as DecodeError).reason;
      }
    };
    expect(reason(full.subarray(0, 14))).toBe('truncated');
    expect(reason(Buffer.concat([full, Buffer.from([1])]))).toBe('bad_length');
  });
});
