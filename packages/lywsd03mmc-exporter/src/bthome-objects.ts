/**
 * The BTHome v2 object table (bthome.io/format): object id -> name, size and scaling.
 * The decoder must know every object's size to walk past it, so ids missing here end a packet
 * with an `unknown_object` error rather than a guess.
 */
export interface BthomeObject {
  name: string;
  /** Bytes after the id; 0 means a length byte follows (text, raw). */
  size: number;
  signed?: boolean;
  /** Raw integer is divided by this (0.01 -> 100). */
  divisor?: number;
  /** Raw integer is multiplied by this, for the odd 0.35 factor. */
  multiplier?: number;
}

const o = (name: string, size: number, divisor?: number, signed = false): BthomeObject => ({
  name,
  size,
  divisor,
  signed,
});

export const BTHOME_OBJECTS: ReadonlyMap<number, BthomeObject> = new Map<number, BthomeObject>([
  [0x00, o('packet_id', 1)],
  [0x01, o('battery', 1)],
  [0x02, o('temperature', 2, 100, true)],
  [0x03, o('humidity', 2, 100)],
  [0x04, o('pressure', 3, 100)],
  [0x05, o('illuminance', 3, 100)],
  [0x06, o('mass_kg', 2, 100)],
  [0x07, o('mass_lb', 2, 100)],
  [0x08, o('dewpoint', 2, 100, true)],
  [0x09, o('count', 1)],
  [0x0a, o('energy', 3, 1000)],
  [0x0b, o('power', 3, 100)],
  [0x0c, o('voltage', 2, 1000)],
  [0x0d, o('pm2_5', 2)],
  [0x0e, o('pm10', 2)],
  [0x0f, o('generic_boolean', 1)],
  [0x10, o('power_on', 1)],
  [0x11, o('opening', 1)],
  [0x12, o('co2', 2)],
  [0x13, o('tvoc', 2)],
  [0x14, o('moisture', 2, 100)],
  [0x15, o('battery_low', 1)],
  [0x16, o('battery_charging', 1)],
  [0x17, o('carbon_monoxide', 1)],
  [0x18, o('cold', 1)],
  [0x19, o('connectivity', 1)],
  [0x1a, o('door', 1)],
  [0x1b, o('garage_door', 1)],
  [0x1c, o('gas_detected', 1)],
  [0x1d, o('heat', 1)],
  [0x1e, o('light', 1)],
  [0x1f, o('lock', 1)],
  [0x20, o('moisture_detected', 1)],
  [0x21, o('motion', 1)],
  [0x22, o('moving', 1)],
  [0x23, o('occupancy', 1)],
  [0x24, o('plug', 1)],
  [0x25, o('presence', 1)],
  [0x26, o('problem', 1)],
  [0x27, o('running', 1)],
  [0x28, o('safety', 1)],
  [0x29, o('smoke', 1)],
  [0x2a, o('sound', 1)],
  [0x2b, o('tamper', 1)],
  [0x2c, o('vibration', 1)],
  [0x2d, o('window', 1)],
  [0x2e, o('humidity', 1)],
  [0x2f, o('moisture', 1)],
  [0x3a, o('button', 1)],
  [0x3c, o('dimmer', 2)],
  [0x3d, o('count', 2)],
  [0x3e, o('count', 4)],
  [0x3f, o('rotation', 2, 10, true)],
  [0x40, o('distance_mm', 2)],
  [0x41, o('distance_m', 2, 10)],
  [0x42, o('duration', 3, 1000)],
  [0x43, o('current', 2, 1000)],
  [0x44, o('speed', 2, 100)],
  [0x45, o('temperature', 2, 10, true)],
  [0x46, o('uv_index', 1, 10)],
  [0x47, o('volume_l', 2, 10)],
  [0x48, o('volume_ml', 2)],
  [0x49, o('volume_flow_rate', 2, 1000)],
  [0x4a, o('voltage', 2, 10)],
  [0x4b, o('gas', 3, 1000)],
  [0x4c, o('gas', 4, 1000)],
  [0x4d, o('energy', 4, 1000)],
  [0x4e, o('volume', 4, 1000)],
  [0x4f, o('water', 4, 1000)],
  [0x50, o('timestamp', 4)],
  [0x51, o('acceleration', 2, 1000)],
  [0x52, o('gyroscope', 2, 1000)],
  [0x53, o('text', 0)],
  [0x54, o('raw', 0)],
  [0x55, o('volume_storage', 4, 1000)],
  [0x56, o('conductivity', 2)],
  [0x57, o('temperature', 1, undefined, true)],
  [0x58, { name: 'temperature', size: 1, signed: true, multiplier: 0.35 }],
  [0x59, o('count', 1, undefined, true)],
  [0x5a, o('count', 2, undefined, true)],
  [0x5b, o('count', 4, undefined, true)],
  [0x5c, o('power', 4, 100, true)],
  [0x5d, o('current', 2, 1000, true)],
  [0x5e, o('direction', 2, 100)],
  [0x5f, o('precipitation', 2, 10)],
  [0x60, o('channel', 1)],
  [0x61, o('rotational_speed', 2)],
  [0xf0, o('device_type_id', 2)],
  [0xf1, o('firmware_version', 4)],
  [0xf2, o('firmware_version', 3)],
]);

/** Reads a little-endian integer of 1-4 bytes. */
export function readIntLE(buf: Buffer, offset: number, size: number, signed: boolean): number {
  return signed ? buf.readIntLE(offset, size) : buf.readUIntLE(offset, size);
}

export function scaleBthome(obj: BthomeObject, raw: number): number {
  if (obj.multiplier !== undefined) return Math.round(raw * obj.multiplier * 1e6) / 1e6;
  return obj.divisor ? raw / obj.divisor : raw;
}
