import { type DecodedAdvert, expectLength } from './reading.js';

/** The stock firmware's data service and its temperature/humidity/voltage characteristic. */
export const STOCK_SERVICE_UUID = 'ebe0ccb07a0a4b0c8a1a6ff2997da3a6';
export const STOCK_DATA_CHARACTERISTIC_UUID = 'ebe0ccc17a0a4b0c8a1a6ff2997da3a6';

/**
 * The stock firmware's characteristic ebe0ccc1-7a0a-4b0c-8a1a-6ff2997da3a6: int16 LE
 * temperature x0.01 °C, uint8 humidity %, uint16 LE battery mV.
 */
export function decodeGattStock(data: Uint8Array): DecodedAdvert {
  expectLength(data, 5, 'gatt');
  const b = Buffer.from(data.buffer, data.byteOffset, data.length);
  return {
    format: 'gatt',
    reading: {
      temperatureCelsius: b.readInt16LE(0) / 100,
      humidityPercent: b[2],
      batteryVolts: b.readUInt16LE(3) / 1000,
    },
  };
}
