import { counter, gauge, type Labels, type MetricFamily, type Sample } from '@motley/exporter-kit';
import type { AdvertFormat, DecodeErrorReason, ReadingField } from './reading.js';
import type { SensorDirectory } from './sensor-directory.js';
import type { SensorStore } from './sensor-store.js';

/** The anchor exporter's label value for every sensor. */
export const SENSOR_LABEL = 'LYWSD03MMC';

/** Names, help and units exactly as the Go lywsd03mmc-exporter publishes them. */
const FIELD_FAMILIES: Record<ReadingField | 'rssi', { name: string; help: string }> = {
  temperatureCelsius: { name: 'thermometer_temperature_celsius', help: 'Temperature in Celsius.' },
  humidityPercent: { name: 'thermometer_humidity_ratio', help: 'Humidity in percent.' },
  batteryPercent: { name: 'thermometer_battery_ratio', help: 'Battery in percent.' },
  batteryVolts: { name: 'thermometer_battery_volts', help: 'Battery in Volt.' },
  frame: { name: 'thermometer_frame_current', help: 'Current frame number.' },
  rssi: { name: 'thermometer_rssi_dbm', help: 'Received Signal Strength Indication.' },
};

export const ADVERT_FORMATS: AdvertFormat[] = ['atc1441', 'pvvx', 'bthome', 'mibeacon', 'gatt'];
export const DECODE_ERROR_REASONS: DecodeErrorReason[] = [
  'truncated',
  'bad_length',
  'mac_mismatch',
  'no_bindkey',
  'wrong_bindkey',
  'unsupported_version',
  'unknown_object',
  'unsupported_format',
];

function sensorLabels(mac: string, directory: SensorDirectory): Labels {
  const name = directory.nameFor(mac);
  return name === undefined ? { sensor: SENSOR_LABEL, mac } : { sensor: SENSOR_LABEL, mac, name };
}

/** The readings and the per-format counters as metric families. */
export function sensorFamilies(store: SensorStore, directory: SensorDirectory): MetricFamily[] {
  const sensors = store.liveSensors();
  const fields = Object.keys(FIELD_FAMILIES) as (keyof typeof FIELD_FAMILIES)[];
  const samples = new Map(fields.map((f) => [f, [] as Sample[]]));
  const lastSeen: Sample[] = [];
  for (const s of sensors) {
    const labels = sensorLabels(s.mac, directory);
    for (const f of fields) {
      const v = s.values[f];
      if (v !== undefined) samples.get(f)?.push({ labels, value: v });
    }
    lastSeen.push({ labels, value: s.lastSeen / 1000 });
  }
  const families: MetricFamily[] = fields.map((f) =>
    gauge(FIELD_FAMILIES[f].name, FIELD_FAMILIES[f].help, samples.get(f) ?? []),
  );
  families.push(
    gauge(
      'thermometer_last_seen_timestamp_seconds',
      'When the sensor was last heard from, in seconds since the epoch.',
      lastSeen,
    ),
    counter(
      'thermometer_adverts_total',
      'Frames decoded, per format (repeats of the same frame counted once).',
      ADVERT_FORMATS.map((format) => ({ labels: { format }, value: store.adverts.get(format) ?? 0 })),
    ),
    counter(
      'thermometer_duplicate_adverts_total',
      'Repeats of an already counted frame, per format.',
      ADVERT_FORMATS.map((format) => ({ labels: { format }, value: store.duplicates.get(format) ?? 0 })),
    ),
    counter(
      'thermometer_decode_errors_total',
      'Service data of a known thermometer format that could not be decoded, per reason.',
      DECODE_ERROR_REASONS.map((reason) => ({
        labels: { reason },
        value: store.decodeErrors.get(reason) ?? 0,
      })),
    ),
  );
  return families;
}
