import { type Clock, ExpiringReadings } from '@motley/exporter-kit';
import type { AdvertFormat, DecodedAdvert, DecodeErrorReason, ReadingField } from './reading.js';
import { READING_FIELDS } from './reading.js';

export type ExpiryByFormat = Record<AdvertFormat, number>;

export interface FieldValue {
  mac: string;
  field: ReadingField | 'rssi';
  value: number;
  format: AdvertFormat;
}

/** How many recent payloads are remembered to recognise repeats of the same frame. */
const MAX_REMEMBERED_PAYLOADS = 4096;

/**
 * Everything the sensors have said, each value with its own last-seen time and the expiry of the
 * format it came in (MiBeacon sends temperature and humidity in separate frames, so values of one
 * sensor can have different ages). Also counts adverts per format, repeats and decode errors.
 */
export class SensorStore {
  private readonly values: ExpiringReadings<FieldValue>;
  private readonly seen: ExpiringReadings<{ mac: string; format: AdvertFormat }>;
  private readonly lastPayload = new Map<string, { payload: Buffer; decoded: DecodedAdvert }>();
  readonly adverts = new Map<AdvertFormat, number>();
  readonly duplicates = new Map<AdvertFormat, number>();
  readonly decodeErrors = new Map<DecodeErrorReason, number>();

  constructor(
    private readonly clock: Clock,
    private readonly expiry: ExpiryByFormat,
  ) {
    this.values = new ExpiringReadings(clock);
    this.seen = new ExpiringReadings(clock);
  }

  /**
   * The decoded frame this exact payload produced last time, if the sensor is repeating itself
   * (firmwares re-send a measurement several times between updates).
   */
  repeated(mac: string, uuid: string, payload: Uint8Array): DecodedAdvert | undefined {
    const last = this.lastPayload.get(`${mac}/${uuid}`);
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
    if (!opts.repeat && opts.uuid && opts.payload)
      this.remember(`${mac}/${opts.uuid}`, Buffer.from(opts.payload), decoded);
    const ttl = this.expiry[decoded.format];
    let any = false;
    for (const field of READING_FIELDS) {
      const value = decoded.reading[field];
      if (value === undefined || !Number.isFinite(value)) continue;
      if (field !== 'frame') any = true;
      this.values.set(`${mac}/${field}`, { mac, field, value, format: decoded.format }, ttl);
    }
    // A frame without a measurement (pairing beacons, other Xiaomi devices) does not make a sensor.
    if (!any && !this.seen.get(mac)) return;
    if (opts.rssi !== undefined)
      this.values.set(`${mac}/rssi`, { mac, field: 'rssi', value: opts.rssi, format: decoded.format }, ttl);
    // Last seen now; alive as long as the longest-lived value it has (a fast BTHome frame must
    // not hide a humidity that arrived by MiBeacon with a longer expiry).
    const before = this.seen.get(mac);
    const now = this.clock.now();
    const keep = before ? Math.max(ttl, before.lastSeen + before.ttlMs - now) : ttl;
    this.seen.set(mac, { mac, format: decoded.format }, keep);
  }

  recordError(reason: DecodeErrorReason): void {
    this.decodeErrors.set(reason, (this.decodeErrors.get(reason) ?? 0) + 1);
  }

  /** Live values, expired ones dropped. */
  liveValues(): FieldValue[] {
    const live = this.values.live().map((r) => r.value);
    // A frame counter alone (from a frame without a measurement) is not shown.
    const sensors = new Set(this.seen.live().map((r) => r.key));
    return live.filter((v) => sensors.has(v.mac));
  }

  /** Sensors heard within their expiry, with the time they were last heard (ms). */
  liveSensors(): { mac: string; format: AdvertFormat; lastSeen: number }[] {
    return this.seen.live().map((r) => ({ mac: r.key, format: r.value.format, lastSeen: r.lastSeen }));
  }

  private remember(key: string, payload: Buffer, decoded: DecodedAdvert): void {
    this.lastPayload.delete(key);
    this.lastPayload.set(key, { payload, decoded });
    if (this.lastPayload.size > MAX_REMEMBERED_PAYLOADS) {
      const oldest = this.lastPayload.keys().next().value;
      if (oldest !== undefined) this.lastPayload.delete(oldest);
    }
  }
}
