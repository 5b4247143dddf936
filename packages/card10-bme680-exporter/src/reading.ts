/**
 * The program the exporter runs on the card10 and the pure parser for the one line it prints.
 *
 * card10's `bme680.Bme680().get_data()` returns a namedtuple of 4 fields (temperature °C,
 * humidity %, pressure hPa, gas resistance Ω) or, with BSEC enabled in card10.cfg, of 8 (plus
 * iaq, iaq_accuracy, eco2 ppm, breath_voc_equivalent ppm). The program prints a tag, the field
 * count and the fields, so both shapes parse and a cut-off line is detected by its count.
 */

export const READING_TAG = 'card10-bme680';

/** MicroPython source sent to the board each poll. Short: it goes over the wire every time. */
export const BOARD_PROGRAM = [
  'import bme680',
  'with bme680.Bme680() as s:',
  ' d=s.get_data()',
  `print('${READING_TAG}',len(d),*d)`,
  '',
].join('\n');

export interface BsecValues {
  /** Indoor air quality index, 0-500. */
  iaq: number;
  /** 0 (stabilizing) to 3 (calibrated). */
  iaqAccuracy: number;
  eco2Ppm: number;
  breathVocPpm: number;
}

/** One reading in base units. */
export interface Bme680Reading {
  temperatureCelsius: number;
  /** Relative humidity as a ratio, 0-1. */
  humidityRatio: number;
  pressurePascals: number;
  gasResistanceOhms: number;
  /** Present only when BSEC is enabled on the badge. */
  bsec?: BsecValues;
}

export class ReadingParseError extends Error {
  override name = 'ReadingParseError';
}

function number(token: string, field: string): number {
  const v = Number(token);
  if (token === '' || !Number.isFinite(v))
    throw new ReadingParseError(`${field} is not a number: "${token}"`);
  return v;
}

/** Scales by a power of ten without binary artefacts (45.3 / 100 -> 0.453, not 0.45299999999999996). */
function scaled(v: number, factor: number): number {
  return Number((v * factor).toPrecision(12));
}

/** A field's token as a number within lo..hi. */
function field(token: string, name: string, lo = 0, hi = Number.MAX_VALUE): number {
  const v = number(token, name);
  if (v < lo || v > hi) throw new ReadingParseError(`${name} out of range ${lo}..${hi}: ${v}`);
  return v;
}

/**
 * Finds the reading line in the program's output and converts it to base units. Throws
 * ReadingParseError for a missing, cut-off or implausible line.
 */
export function parseReadingOutput(stdout: string): Bme680Reading {
  const line = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.startsWith(`${READING_TAG} `));
  if (line === undefined) {
    const shown = stdout.trim().slice(0, 80);
    throw new ReadingParseError(
      `no "${READING_TAG}" line in the board's output${shown ? `: "${shown}"` : ''}`,
    );
  }
  const tokens = line.split(/\s+/).slice(1);
  const count = Number(tokens[0]);
  if (count !== 4 && count !== 8)
    throw new ReadingParseError(`expected 4 or 8 fields, the board says "${tokens[0]}"`);
  const values = tokens.slice(1);
  if (values.length !== count) {
    throw new ReadingParseError(
      `line cut off or garbled: ${values.length} of ${count} fields: "${line.slice(0, 120)}"`,
    );
  }
  const reading: Bme680Reading = {
    temperatureCelsius: field(values[0], 'temperature', -60, 150),
    humidityRatio: scaled(field(values[1], 'humidity', 0, 100), 0.01),
    pressurePascals: scaled(field(values[2], 'pressure', 0, 2000), 100),
    gasResistanceOhms: field(values[3], 'gas resistance'),
  };
  if (count === 8) {
    const accuracy = field(values[5], 'iaq_accuracy', 0, 3);
    if (!Number.isInteger(accuracy))
      throw new ReadingParseError(`iaq_accuracy is not an integer: ${accuracy}`);
    reading.bsec = {
      iaq: field(values[4], 'iaq', 0, 500),
      iaqAccuracy: accuracy,
      eco2Ppm: field(values[6], 'eco2'),
      breathVocPpm: field(values[7], 'breath_voc_equivalent'),
    };
  }
  return reading;
}
