import { describe, expect, it } from 'vitest';
import { decodeAtc1441 } from './decode-atc1441.js';
import { DecodeError } from './reading.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('decodeAtc1441', () => {
  it('decodes the documented layout (26.8 °C, 53 %, 100 %, 3.000 V, frame 123)', () => {
    const d = decodeAtc1441(hex('4c5957534430 010c 35 64 0bb8 7b'));
    expect(d).toEqual({
      format: 'atc1441',
      mac: '4C5957534430',
      reading: {
        temperatureCelsius: 26.8,
        humidityPercent: 53,
        batteryPercent: 100,
        batteryVolts: 3,
        frame: 123,
      },
    });
  });

  it('decodes negative temperatures as signed big-endian', () => {
    expect(decodeAtc1441(hex('a4c138010203 ffcb 32 55 0b54 07')).reading.temperatureCelsius).toBe(-5.3);
    expect(decodeAtc1441(hex('a4c138010203 fe0c 32 55 0b54 07')).reading.temperatureCelsius).toBe(-50);
    expect(decodeAtc1441(hex('a4c138010203 ffff 32 55 0b54 07')).reading.temperatureCelsius).toBe(-0.1);
  });

  it('rejects truncated and over-long payloads with a reason', () => {
    const full = hex('4c5957534430 010c 35 64 0bb8 7b');
    expect(() => decodeAtc1441(full.subarray(0, 12))).toThrow(DecodeError);
    try {
      decodeAtc1441(full.subarray(0, 12));
    } catch (e) {
      expect((e as DecodeError).reason).toBe('truncated');
    }
    try {
      decodeAtc1441(Buffer.concat([full, Buffer.from([0])]));
      expect.unreachable();
    } catch (e) {
      expect((e as DecodeError).reason).toBe('bad_length');
    }
  });
});
