import { ATC1441_LENGTH, decodeAtc1441 } from './decode-atc1441.js';
import { BTHOME_UUID, decodeBthome } from './decode-bthome.js';
import { decodeMibeacon, MIBEACON_UUID } from './decode-mibeacon.js';
import { decodePvvx, PVVX_LENGTH } from './decode-pvvx.js';
import { type DecodedAdvert, DecodeError } from './reading.js';

export const ENVIRONMENTAL_SENSING_UUID = '181a';

export interface ServiceDataContext {
  /** The advertiser's address (uppercase, no colons), if known. */
  mac?: string;
  bindkeyFor?: (mac: string) => Buffer | undefined;
}

/** "0xFCD2", "fcd2", "0000fcd2-0000-1000-8000-00805f9b34fb" -> "fcd2". */
export function shortUuid(uuid: string): string {
  // noble already reports 16-bit UUIDs as four lowercase hex digits.
  if (uuid.length === 4 && uuid === uuid.toLowerCase()) return uuid;
  const u = uuid.toLowerCase().replace(/^0x/, '').replace(/-/g, '');
  const m = /^0000([0-9a-f]{4})00001000800000805f9b34fb$/.exec(u);
  return m ? m[1] : u;
}

/** Service UUIDs this exporter decodes. */
export const KNOWN_SERVICE_UUIDS = [ENVIRONMENTAL_SENSING_UUID, BTHOME_UUID, MIBEACON_UUID];

/**
 * Picks the decoder for one service-data entry. 0x181A carries two formats told apart by length
 * (atc1441: 13 bytes, pvvx: 15). A MAC carried in the payload must match the sender's.
 */
export function decodeServiceData(
  uuid: string,
  data: Uint8Array,
  ctx: ServiceDataContext = {},
): DecodedAdvert {
  const short = shortUuid(uuid);
  switch (short) {
    case ENVIRONMENTAL_SENSING_UUID: {
      const decoded =
        data.length === ATC1441_LENGTH
          ? decodeAtc1441(data)
          : data.length === PVVX_LENGTH
            ? decodePvvx(data)
            : undefined;
      if (!decoded) {
        const reason = data.length < ATC1441_LENGTH ? 'truncated' : 'bad_length';
        throw new DecodeError(reason, `0x181a: ${data.length} bytes is neither atc1441 (13) nor pvvx (15)`);
      }
      if (ctx.mac && decoded.mac && decoded.mac !== ctx.mac) {
        throw new DecodeError(
          'mac_mismatch',
          `${decoded.format}: payload names MAC ${decoded.mac} but was sent by ${ctx.mac}`,
        );
      }
      return decoded;
    }
    case BTHOME_UUID: {
      const decoded = decodeBthome(data, {
        mac: ctx.mac,
        bindkey: ctx.mac ? ctx.bindkeyFor?.(ctx.mac) : undefined,
      });
      return { ...decoded, mac: ctx.mac };
    }
    case MIBEACON_UUID:
      return decodeMibeacon(data, { mac: ctx.mac, bindkeyFor: ctx.bindkeyFor });
    default:
      throw new DecodeError(
        'unsupported_format',
        `service ${uuid} is not a thermometer format (known: 181a, fcd2, fe95)`,
      );
  }
}
