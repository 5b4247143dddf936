import { CCM_MIC_LENGTH, decryptCcm } from './aes-ccm.js';
import { macFromReversedBytes, macToBytes } from './mac.js';
import { type DecodedAdvert, DecodeError, type Reading } from './reading.js';

export const MIBEACON_UUID = 'fe95';

export interface MibeaconOptions {
  /** The advertiser's MAC (uppercase, no colons), used when the frame does not carry one. */
  mac?: string;
  /** Looks up the 16-byte bindkey for the frame's MAC. */
  bindkeyFor?: (mac: string) => Buffer | undefined;
}

const FLAG_ENCRYPTED = 0x0008;
const FLAG_MAC = 0x0010;
const FLAG_CAPABILITY = 0x0020;
const FLAG_OBJECT = 0x0040;
const CAPABILITY_IO = 0x20;
const EXT_COUNTER_LENGTH = 3;
const MIC_LENGTH = CCM_MIC_LENGTH;
const AAD = Buffer.from([0x11]);

/**
 * Xiaomi MiBeacon service data (UUID 0xFE95): uint16 frame control, uint16 product id,
 * uint8 frame counter, optional reversed MAC, optional capability, then objects
 * (uint16 type, uint8 length, data). v4/v5 frames may be AES-128-CCM encrypted: the objects
 * are followed by a 3-byte extended counter and a 4-byte MIC; the nonce is reversed MAC +
 * product id + frame counter + extended counter and the associated data is 0x11.
 */
export function decodeMibeacon(data: Uint8Array, opts: MibeaconOptions = {}): DecodedAdvert {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  if (buf.length < 5)
    throw new DecodeError('truncated', `mibeacon: need at least 5 bytes, got ${buf.length}`);
  const control = buf.readUInt16LE(0);
  const version = control >> 12;
  const productId = buf.readUInt16LE(2);
  const frame = buf[4];
  let i = 5;
  let mac = opts.mac;
  if (control & FLAG_MAC) {
    if (buf.length < i + 6) throw new DecodeError('truncated', 'mibeacon: frame ends inside the MAC');
    const own = macFromReversedBytes(buf.subarray(i, i + 6));
    if (opts.mac && opts.mac !== own) {
      throw new DecodeError('mac_mismatch', `mibeacon: frame names MAC ${own} but was sent by ${opts.mac}`);
    }
    mac = own;
    i += 6;
  }
  if (control & FLAG_CAPABILITY) {
    if (buf.length < i + 1)
      throw new DecodeError('truncated', 'mibeacon: frame ends inside the capability byte');
    const capability = buf[i++];
    if (version >= 5 && capability & CAPABILITY_IO) i += 2;
  }
  const details: Record<string, unknown> = { product_id: productId, version };
  const encrypted = (control & FLAG_ENCRYPTED) !== 0;
  if (!(control & FLAG_OBJECT)) return { format: 'mibeacon', mac, reading: {}, encrypted, details };
  if (i > buf.length) throw new DecodeError('truncated', 'mibeacon: frame ends before its objects');
  let objects = buf.subarray(i);
  if (encrypted) {
    if (version < 4)
      throw new DecodeError(
        'unsupported_version',
        `mibeacon: encrypted v${version} frames are not supported (only v4/v5)`,
      );
    if (!mac) throw new DecodeError('no_bindkey', 'mibeacon: encrypted frame without a MAC (give --mac)');
    if (objects.length < EXT_COUNTER_LENGTH + MIC_LENGTH + 3) {
      throw new DecodeError('truncated', `mibeacon: encrypted part of ${objects.length} bytes is too short`);
    }
    const key = opts.bindkeyFor?.(mac);
    if (!key)
      throw new DecodeError(
        'no_bindkey',
        `mibeacon: frame from ${mac} is encrypted and no bindkey is configured for it`,
      );
    const ext = objects.subarray(
      objects.length - MIC_LENGTH - EXT_COUNTER_LENGTH,
      objects.length - MIC_LENGTH,
    );
    const nonce = Buffer.concat([macToBytes(mac).reverse(), buf.subarray(2, 5), ext]);
    const tag = objects.subarray(objects.length - MIC_LENGTH);
    const plain = decryptCcm(
      key,
      nonce,
      objects.subarray(0, objects.length - MIC_LENGTH - EXT_COUNTER_LENGTH),
      tag,
      AAD,
    );
    if (!plain)
      throw new DecodeError('wrong_bindkey', `mibeacon: decryption failed for ${mac} (wrong bindkey?)`);
    objects = plain;
  }
  const reading: Reading = { frame };
  decodeObjects(objects, reading, details);
  return { format: 'mibeacon', mac, reading, encrypted, details };
}

function decodeObjects(buf: Buffer, reading: Reading, details: Record<string, unknown>): void {
  let i = 0;
  while (i < buf.length) {
    if (i + 3 > buf.length) throw new DecodeError('truncated', 'mibeacon: object header cut short');
    const type = buf.readUInt16LE(i);
    const len = buf[i + 2];
    i += 3;
    if (i + len > buf.length) {
      throw new DecodeError(
        'truncated',
        `mibeacon: object 0x${type.toString(16)} needs ${len} bytes, ${buf.length - i} left`,
      );
    }
    const v = buf.subarray(i, i + len);
    i += len;
    switch (type) {
      case 0x1004:
        need(v, 2, type);
        reading.temperatureCelsius = v.readInt16LE(0) / 10;
        break;
      case 0x1006:
        need(v, 2, type);
        reading.humidityPercent = v.readUInt16LE(0) / 10;
        break;
      case 0x100a:
        need(v, 1, type);
        reading.batteryPercent = v[0];
        break;
      case 0x100d:
        need(v, 4, type);
        reading.temperatureCelsius = v.readInt16LE(0) / 10;
        reading.humidityPercent = v.readUInt16LE(2) / 10;
        break;
      default:
        details[`object_0x${type.toString(16).padStart(4, '0')}`] = v.toString('hex');
    }
  }
}

function need(v: Buffer, n: number, type: number): void {
  if (v.length < n)
    throw new DecodeError(
      'truncated',
      `mibeacon: object 0x${type.toString(16)} has ${v.length} bytes, needs ${n}`,
    );
}
