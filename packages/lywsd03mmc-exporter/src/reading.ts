/** What one advert or GATT read says about a sensor; every field is optional. */
export interface Reading {
  temperatureCelsius?: number;
  /** Relative humidity in percent (0-100), as the anchor exporter reports it. */
  humidityPercent?: number;
  /** Battery level in percent (0-100). */
  batteryPercent?: number;
  batteryVolts?: number;
  /** The sensor's frame or packet counter. */
  frame?: number;
}

export const READING_FIELDS = [
  'temperatureCelsius',
  'humidityPercent',
  'batteryPercent',
  'batteryVolts',
  'frame',
] as const;
export type ReadingField = (typeof READING_FIELDS)[number];

export type AdvertFormat = 'atc1441' | 'pvvx' | 'bthome' | 'mibeacon' | 'gatt';

export interface DecodedAdvert {
  format: AdvertFormat;
  /** The sensor's MAC from the payload when the format carries one (uppercase, no colons). */
  mac?: string;
  reading: Reading;
  /** Whether the payload was encrypted (and decrypted with a bindkey). */
  encrypted?: boolean;
  /** Extra decoded fields for the `decode` command (flags, counters, unknown objects). */
  details?: Record<string, unknown>;
}

/**
 * A payload we could not turn into a reading. The reason is a short stable word used as the
 * `reason` label of the decode error counter; the message is for humans.
 */
export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(
    readonly reason: DecodeErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** Checks the size of a fixed-size payload: shorter is `truncated`, longer `bad_length`. */
export function expectLength(data: Uint8Array, length: number, format: string): void {
  if (data.length < length)
    throw new DecodeError('truncated', `${format}: need ${length} bytes, got ${data.length}`);
  if (data.length > length)
    throw new DecodeError('bad_length', `${format}: expected ${length} bytes, got ${data.length}`);
}

export type DecodeErrorReason =
  | 'truncated'
  | 'bad_length'
  | 'mac_mismatch'
  | 'no_bindkey'
  | 'wrong_bindkey'
  | 'unsupported_version'
  | 'unknown_object'
  | 'unsupported_format';
