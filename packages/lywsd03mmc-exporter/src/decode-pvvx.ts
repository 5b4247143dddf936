import { macFromReversedBytes } from './mac.js';
import { type DecodedAdvert, expectLength } from './reading.js';

/** Length of the pvvx custom advert body under service 0x181A. */
export const PVVX_LENGTH = 15;

/**
 * The pvvx custom format (service data 0x181A, 15 bytes, little-endian): MAC[6] reversed,
 * int16 temperature x0.01 °C, uint16 humidity x0.01 %, uint16 battery mV, uint8 battery %,
 * uint8 measurement counter, uint8 flags (reed switch, GPIO trigger, output, trigger bits).
 */
export function decodePvvx(data: Uint8Array): DecodedAdvert {
  expectLength(data, PVVX_LENGTH, 'pvvx');
  const view = Buffer.from(data.buffer, data.byteOffset, data.length);
  return {
    format: 'pvvx',
    mac: macFromReversedBytes(view.subarray(0, 6)),
    reading: {
      temperatureCelsius: view.readInt16LE(6) / 100,
      humidityPercent: view.readUInt16LE(8) / 100,
      batteryVolts: view.readUInt16LE(10) / 1000,
      batteryPercent: view.readUInt8(12),
      frame: view.readUInt8(13),
    },
    details: { flags: view.readUInt8(14) },
  };
}
