import { CCM_MIC_LENGTH, decryptCcm } from './aes-ccm.js';
import { BTHOME_OBJECTS, readIntLE, scaleBthome } from './bthome-objects.js';
import { macToBytes } from './mac.js';
import { type DecodedAdvert, DecodeError, type Reading } from './reading.js';

export const BTHOME_UUID = 'fcd2';

export interface BthomeOptions {
  /** The advertiser's MAC (uppercase, no colons): part of the nonce of encrypted packets. */
  mac?: string;
  /** 16-byte AES key for encrypted packets. */
  bindkey?: Buffer;
}

const ENCRYPTED = 0x01;
const TRIGGER_BASED = 0x04;
const MIC_LENGTH = CCM_MIC_LENGTH;
const COUNTER_LENGTH = 4;

/**
 * BTHome v2 service data (UUID 0xFCD2): a device-information byte (bit 0 encrypted, bit 2
 * trigger based, bits 5-7 version = 2) then id-prefixed little-endian objects. Encrypted packets
 * carry AES-128-CCM ciphertext, a 4-byte counter and a 4-byte MIC; the nonce is
 * MAC + UUID (d2 fc) + device-information byte + counter.
 */
export function decodeBthome(data: Uint8Array, opts: BthomeOptions = {}): DecodedAdvert {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  if (buf.length < 1) throw new DecodeError('truncated', 'bthome: empty payload');
  const info = buf[0];
  const version = info >> 5;
  if (version !== 2) {
    throw new DecodeError(
      'unsupported_version',
      `bthome: version ${version} is not supported (only BTHome v2)`,
    );
  }
  const encrypted = (info & ENCRYPTED) !== 0;
  let objects = buf.subarray(1);
  let counter: number | undefined;
  if (encrypted) {
    if (buf.length < 1 + COUNTER_LENGTH + MIC_LENGTH + 1) {
      throw new DecodeError('truncated', `bthome: encrypted payload of ${buf.length} bytes is too short`);
    }
    const counterBytes = buf.subarray(buf.length - MIC_LENGTH - COUNTER_LENGTH, buf.length - MIC_LENGTH);
    counter = counterBytes.readUInt32LE(0);
    if (!opts.bindkey)
      throw new DecodeError(
        'no_bindkey',
        'bthome: payload is encrypted and no bindkey is configured for this MAC',
      );
    if (!opts.mac)
      throw new DecodeError('no_bindkey', 'bthome: encrypted payload needs the sensor MAC (--mac)');
    const nonce = Buffer.concat([macToBytes(opts.mac), Buffer.from([0xd2, 0xfc, info]), counterBytes]);
    const plain = decryptCcm(
      opts.bindkey,
      nonce,
      buf.subarray(1, buf.length - MIC_LENGTH - COUNTER_LENGTH),
      buf.subarray(buf.length - MIC_LENGTH),
    );
    if (!plain)
      throw new DecodeError('wrong_bindkey', 'bthome: decryption failed (wrong bindkey for this MAC?)');
    objects = plain;
  }
  const { reading, details } = decodeObjects(objects);
  if (counter !== undefined) details.counter = counter;
  details.trigger_based = (info & TRIGGER_BASED) !== 0;
  return { format: 'bthome', reading, encrypted, details };
}

function decodeObjects(buf: Buffer): { reading: Reading; details: Record<string, unknown> } {
  const reading: Reading = {};
  const details: Record<string, unknown> = {};
  let i = 0;
  while (i < buf.length) {
    const id = buf[i++];
    const obj = BTHOME_OBJECTS.get(id);
    if (!obj)
      throw new DecodeError(
        'unknown_object',
        `bthome: unknown object id 0x${id.toString(16).padStart(2, '0')} at byte ${i}`,
      );
    let size = obj.size;
    if (size === 0) {
      if (i >= buf.length)
        throw new DecodeError('truncated', `bthome: ${obj.name} object has no length byte`);
      size = buf[i++];
    }
    if (i + size > buf.length) {
      throw new DecodeError(
        'truncated',
        `bthome: ${obj.name} object needs ${size} bytes, ${buf.length - i} left`,
      );
    }
    if (obj.size === 0) {
      details[obj.name] =
        obj.name === 'text' ? buf.toString('utf8', i, i + size) : buf.toString('hex', i, i + size);
    } else {
      const value = scaleBthome(obj, readIntLE(buf, i, size, obj.signed === true));
      apply(reading, details, obj.name, value);
    }
    i += size;
  }
  return { reading, details };
}

function apply(reading: Reading, details: Record<string, unknown>, name: string, value: number): void {
  switch (name) {
    case 'temperature':
      reading.temperatureCelsius = value;
      break;
    case 'humidity':
      reading.humidityPercent = value;
      break;
    case 'battery':
      reading.batteryPercent = value;
      break;
    case 'voltage':
      reading.batteryVolts = value;
      break;
    case 'packet_id':
      reading.frame = value;
      break;
    default:
      details[name] = value;
  }
}
