import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { abbreviationFor, parseTzif } from './tzif.js';

const zone = (name: string) =>
  parseTzif(readFileSync(new URL(`../test/fixtures/zoneinfo/${name}`, import.meta.url)));
const JAN_2026 = Date.UTC(2026, 0, 15) / 1000;
const JUL_2026 = Date.UTC(2026, 6, 15) / 1000;

describe('TZif time zone names', () => {
  it('names standard and summer time by the offset in force', () => {
    const berlin = zone('Berlin');
    expect(abbreviationFor(berlin, 3600, JAN_2026)).toBe('CET');
    expect(abbreviationFor(berlin, 7200, JUL_2026)).toBe('CEST');
    const ny = zone('New_York');
    expect(abbreviationFor(ny, -18000, JAN_2026)).toBe('EST');
    // EWT and EPT (1942-45) share -4 h; the most recent use wins.
    expect(abbreviationFor(ny, -14400, JUL_2026)).toBe('EDT');
  });
  it('reads UTC and falls back to a numeric name without a zone file', () => {
    expect(abbreviationFor(zone('UTC'), 0, JAN_2026)).toBe('UTC');
    expect(abbreviationFor(undefined, 0, JAN_2026)).toBe('UTC');
    expect(abbreviationFor(undefined, 19800, JAN_2026)).toBe('+0530');
    expect(abbreviationFor(undefined, -12600, JAN_2026)).toBe('-0330');
  });
  it('rejects files that are not TZif', () => {
    expect(() => parseTzif(new TextEncoder().encode('hello, this is not a zone file at all......'))).toThrow(
      'not a TZif file',
    );
  });
});
