import { describe, expect, it } from 'vitest';
import { BOARD_PROGRAM, parseReadingOutput, READING_TAG, ReadingParseError } from './reading.js';

describe('BOARD_PROGRAM', () => {
  it('reads the sensor through the context manager and prints one tagged line', () => {
    expect(BOARD_PROGRAM).toMatch(/^import bme680\n/);
    expect(BOARD_PROGRAM).toContain('with bme680.Bme680() as s:\n d=s.get_data()\n');
    expect(BOARD_PROGRAM).toContain(`print('${READING_TAG}',len(d),*d)`);
    expect(BOARD_PROGRAM).not.toContain('\x04');
  });
});

describe('parseReadingOutput', () => {
  it('converts a reading without BSEC to base units', () => {
    expect(parseReadingOutput('card10-bme680 4 24.37 45.3 1008.17 130521.0\r\n')).toEqual({
      temperatureCelsius: 24.37,
      humidityRatio: 0.453,
      pressurePascals: 100817,
      gasResistanceOhms: 130521,
    });
  });

  it('adds the BSEC fields when the board prints eight', () => {
    const r = parseReadingOutput('card10-bme680 8 21.5 50.0 1013.25 98000.5 25.0 3 450.0 0.49\r\n');
    expect(r.bsec).toEqual({ iaq: 25, iaqAccuracy: 3, eco2Ppm: 450, breathVocPpm: 0.49 });
    expect(r.humidityRatio).toBe(0.5);
  });

  it('accepts exponent notation and negative temperatures', () => {
    const r = parseReadingOutput('card10-bme680 4 -12.5 80.0 1.0132e+03 1.23457e+06\n');
    expect(r.temperatureCelsius).toBe(-12.5);
    expect(r.pressurePascals).toBe(101320);
    expect(r.gasResistanceOhms).toBe(1234570);
  });

  it('finds the line among other output', () => {
    const r = parseReadingOutput('warning: BSEC warming up\r\ncard10-bme680 4 20.0 40.0 1000.0 1.0\r\n');
    expect(r.temperatureCelsius).toBe(20);
  });

  it.each([
    ['', /no "card10-bme680" line/],
    ['hello\r\n', /no "card10-bme680" line in the board's output: "hello"/],
    ['card10-bme680 8 21.5 50.0 1013.25', /cut off or garbled: 3 of 8 fields/],
    ['card10-bme680 5 1 2 3 4 5', /expected 4 or 8 fields, the board says "5"/],
    ['card10-bme680 4 21.5 5x.0 1013.25 98000', /humidity is not a number: "5x.0"/],
    ['card10-bme680 4 21.5 nan 1013.25 98000', /humidity is not a number/],
    ['card10-bme680 4 21.5 150.0 1013.25 98000', /humidity out of range 0..100: 150/],
    ['card10-bme680 8 21.5 50 1013 9 25 1.5 450 0.5', /iaq_accuracy is not an integer/],
    ['card10-bme680 8 21.5 50 1013 9 25 4 450 0.5', /iaq_accuracy out of range 0..3/],
  ])('rejects %j', (text, message) => {
    expect(() => parseReadingOutput(text)).toThrow(ReadingParseError);
    expect(() => parseReadingOutput(text)).toThrow(message);
  });
});
