import { macFromBytes } from './mac.js';
import { type DecodedAdvert, expectLength } from './reading.js';

/** Length of the ATC1441 advert body under service 0x181A. */
export const ATC1441_LENGTH = 13;

/**
 * The atc1441 custom firmware format (service data 0x181A, 13 bytes, big-endian):
 * MAC[6] in display order, int16 temperature x0.1 °C, uint8 humidity %, uint8 battery %,
 * uint16 battery mV, uint8 frame counter.
 */
export function decodeAtc1441(data: Uint8Array): DecodedAdvert {
  expectLength(data, ATC1441_LENGTH, 'atc1441');
  const view = Buffer.from(data.buffer, data.byteOffset, data.length);
  return {
    format: 'atc1441',
    mac: macFromBytes(view.subarray(0, 6)),
    reading: {
      temperatureCelsius: view.readInt16BE(6) / 10,
      humidityPercent: view.readUInt8(8),
      batteryPercent: view.readUInt8(9),
      batteryVolts: view.readUInt16BE(10) / 1000,
      frame: view.readUInt8(12),
    },
  };
}
