import { type Clock, ExpiringReadings } from '@motley/exporter-kit';
import type { AdvertFormat, DecodedAdvert, DecodeErrorReason, Reading, ReadingField } from './reading.js';
import { READING_FIELDS } from './reading.js';

export type ExpiryByFormat = Record<AdvertFormat, number>;

/** The latest frame of one format from one sensor (fields of split frames merged). */
interface SensorFrame {
  mac: string;
  format: AdvertFormat;
  reading: Reading;
  rssi?: number;
}

/** A sensor as rendered: newest value of each field across the formats it sends. */
export interface LiveSensor {
  mac: string;
  /** Milliseconds since the epoch. */
  lastSeen: number;
  values: Partial<Record<ReadingField | 'rssi', number>>;
  /** Formats with a live frame, in the order they were first heard. */
  formats: AdvertFormat[];
}

/** How many senders are remembered to recognise repeats of the same frame. */
const MAX_REMEMBERED_PAYLOADS = 4096;

/**
 * Everything the sensors have said. One entry per sensor and format, each expiring after its
 * format's expiry (stock MiBeacon every 10 min, custom firmwares every few seconds), so a sensor
 * heard in two formats keeps the values of the one still arriving. Also counts adverts per
 * format, repeated frames and decode errors.
 */
export class SensorStore {
  private readonly frames: ExpiringReadings<SensorFrame>;
  private readonly frameKeys = new Map<string, Partial<Record<AdvertFormat, string>>>();
  private readonly lastPayload = new Map<string, { payload: Buffer; decoded: DecodedAdvert }>();
  readonly adverts = new Map<AdvertFormat, number>();
  readonly duplicates = new Map<AdvertFormat, number>();
  readonly decodeErrors = new Map<DecodeErrorReason, number>();

  constructor(
    clock: Clock,
    private readonly expiry: ExpiryByFormat,
  ) {
    this.frames = new ExpiringReadings(clock);
  }

  /**
   * The decoded frame this exact payload produced last time, if the sensor is repeating itself
   * (firmwares re-send a measurement several times between updates).
   */
  repeated(mac: string, uuid: string, payload: Uint8Array): DecodedAdvert | undefined {
    const last = this.lastPayload.get(mac + uuid);
    return last && Buffer.compare(last.payload, payload) === 0 ? last.decoded : undefined;
  }

  /** Stores a decoded frame. `repeat` marks a frame already counted once. */
  record(
    mac: string,
    decoded: DecodedAdvert,
    opts: { rssi?: number; uuid?: string; payload?: Uint8Array; repeat?: boolean } = {},
  ): void {
    const counts = opts.repeat ? this.duplicates : this.adverts;
    counts.set(decoded.format, (counts.get(decoded.format) ?? 0) + 1);
    if (!opts.repeat && opts.uuid && opts.payload) this.remember(mac + opts.uuid, opts.payload, decoded);
    const key = this.keyFor(mac, decoded.format);
    const previous = this.frames.get(key)?.value;
    // A frame without a measurement (pairing beacons, other Xiaomi devices) does not make a sensor.
    if (!previous && !hasMeasurement(decoded.reading)) return;
    // MiBeacon sends temperature, humidity and battery in separate frames: merge them.
    const reading = previous ? { ...previous.reading, ...decoded.reading } : decoded.reading;
    this.frames.set(
      key,
      { mac, format: decoded.format, reading, rssi: opts.rssi ?? previous?.rssi },
      this.expiry[decoded.format],
    );
  }

  recordError(reason: DecodeErrorReason): void {
    this.decodeErrors.set(reason, (this.decodeErrors.get(reason) ?? 0) + 1);
  }

  /** Sensors with at least one live frame; each field from the newest frame that has it. */
  liveSensors(): LiveSensor[] {
    const byMac = new Map<string, SensorBuilder>();
    for (const { value: frame, lastSeen } of this.frames.live()) {
      let s = byMac.get(frame.mac);
      if (!s) {
        s = { mac: frame.mac, lastSeen, values: {}, formats: [], fieldSeen: {} };
        byMac.set(frame.mac, s);
      }
      s.formats.push(frame.format);
      if (lastSeen > s.lastSeen) s.lastSeen = lastSeen;
      for (const field of READING_FIELDS) {
        const v = frame.reading[field];
        if (v !== undefined && Number.isFinite(v)) offer(s, field, v, lastSeen);
      }
      if (frame.rssi !== undefined) offer(s, 'rssi', frame.rssi, lastSeen);
    }
    return [...byMac.values()].map(({ mac, lastSeen, values, formats }) => ({
      mac,
      lastSeen,
      values,
      formats,
    }));
  }

  private keyFor(mac: string, format: AdvertFormat): string {
    let keys = this.frameKeys.get(mac);
    if (!keys) {
      keys = {};
      this.frameKeys.set(mac, keys);
      if (this.frameKeys.size > MAX_REMEMBERED_PAYLOADS)
        this.frameKeys.delete(this.frameKeys.keys().next().value as string);
    }
    let key = keys[format];
    if (key === undefined) {
      key = `${mac}/${format}`;
      keys[format] = key;
    }
    return key;
  }

  private remember(key: string, payload: Uint8Array, decoded: DecodedAdvert): void {
    const entry = this.lastPayload.get(key);
    if (entry) {
      entry.payload = Buffer.from(payload);
      entry.decoded = decoded;
      return;
    }
    this.lastPayload.set(key, { payload: Buffer.from(payload), decoded });
    if (this.lastPayload.size > MAX_REMEMBERED_PAYLOADS)
      this.lastPayload.delete(this.lastPayload.keys().next().value as string);
  }
}

type SensorBuilder = LiveSensor & { fieldSeen: Partial<Record<string, number>> };

/** Takes a field's value from a frame unless a newer frame already gave one. */
function offer(s: SensorBuilder, field: ReadingField | 'rssi', value: number, seen: number): void {
  if (seen < (s.fieldSeen[field] ?? Number.NEGATIVE_INFINITY)) return;
  s.values[field] = value;
  s.fieldSeen[field] = seen;
}

function hasMeasurement(r: Reading): boolean {
  return (
    r.temperatureCelsius !== undefined ||
    r.humidityPercent !== undefined ||
    r.batteryPercent !== undefined ||
    r.batteryVolts !== undefined
  );
}
