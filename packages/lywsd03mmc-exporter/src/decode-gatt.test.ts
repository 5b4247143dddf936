import { describe, expect, it } from 'vitest';
import { decodeGattStock } from './decode-gatt.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('decodeGattStock', () => {
  it('decodes 21 0a 17 7e 0b as 25.93 °C, 23 %, 2.942 V', () => {
    expect(decodeGattStock(hex('210a177e0b')).reading).toEqual({
      temperatureCelsius: 25.93,
      humidityPercent: 23,
      batteryVolts: 2.942,
    });
  });
  it('decodes negative temperatures as signed', () => {
    expect(decodeGattStock(hex('0cfe 3c 7e0b')).reading.temperatureCelsius).toBe(-5);
  });
  it('rejects short and long values', () => {
    expect(() => decodeGattStock(hex('210a17'))).toThrow(/need 5 bytes/);
    expect(() => decodeGattStock(hex('210a177e0b00'))).toThrow(/expected 5 bytes/);
  });
});
