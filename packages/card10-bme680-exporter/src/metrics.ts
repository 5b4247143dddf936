/**
 * Metric families from a session snapshot, in base units. Pure: the collector hands it a snapshot.
 */
import { counter, gauge, type MetricFamily } from '@motley/exporter-kit';
import { ERROR_KINDS, type SessionSnapshot } from './session.js';

function one(name: string, help: string, value: number): MetricFamily {
  return gauge(name, help, [{ value }]);
}

export function card10Families(s: SessionSnapshot): MetricFamily[] {
  const families: MetricFamily[] = [
    one(
      'card10_up',
      'Whether the card10 answered the last request over its raw REPL (1) or not (0).',
      s.up ? 1 : 0,
    ),
    counter(
      'card10_errors_total',
      'Failures talking to the card10, by kind: open, timeout, disconnect, protocol, traceback, parse.',
      ERROR_KINDS.map((kind) => ({ labels: { kind }, value: s.errors[kind] })),
    ),
  ];
  if (s.lastReadingAt !== undefined) {
    families.push(
      one(
        'card10_last_reading_timestamp_seconds',
        'Unix time of the last good BME680 reading from the card10.',
        s.lastReadingAt / 1000,
      ),
    );
  }
  const r = s.reading?.value;
  if (!r) return families;
  families.push(
    one('card10_bme680_temperature_celsius', 'Temperature measured by the BME680.', r.temperatureCelsius),
    one('card10_bme680_humidity_ratio', 'Relative humidity measured by the BME680, 0-1.', r.humidityRatio),
    one('card10_bme680_pressure_pascals', 'Barometric pressure measured by the BME680.', r.pressurePascals),
    one('card10_bme680_gas_resistance_ohms', 'Resistance of the BME680 gas sensor.', r.gasResistanceOhms),
  );
  if (r.bsec) {
    families.push(
      one('card10_bme680_iaq', 'Indoor air quality index from Bosch BSEC, 0 (clean) to 500.', r.bsec.iaq),
      one(
        'card10_bme680_iaq_accuracy',
        'Accuracy of the BSEC IAQ: 0 stabilizing, 1 uncertain, 2 calibrating, 3 calibrated.',
        r.bsec.iaqAccuracy,
      ),
      one(
        'card10_bme680_eco2_ppm',
        'Equivalent CO2 estimated by BSEC, in parts per million.',
        r.bsec.eco2Ppm,
      ),
      one(
        'card10_bme680_breath_voc_ppm',
        'Breath VOC equivalent estimated by BSEC, in parts per million.',
        r.bsec.breathVocPpm,
      ),
    );
  }
  return families;
}
