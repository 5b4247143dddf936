import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderFamilies } from '@motley/exporter-kit';
import { promtoolCheckMetrics } from '@motley/exporter-kit/testing';
import { describe, expect, it } from 'vitest';
import { card10Families } from './metrics.js';
import { parseReadingOutput } from './reading.js';
import { ERROR_KINDS, type SessionSnapshot } from './session.js';

const errors = Object.fromEntries(ERROR_KINDS.map((k, i) => [k, i])) as SessionSnapshot['errors'];

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it. */
function expectGolden(name: string, text: string): void {
  const path = fileURLToPath(new URL(`../test/golden/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  if (!existsSync(path)) throw new Error(`${path} missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

describe('card10Families', () => {
  it('renders a BSEC reading in base units, accepted by promtool', () => {
    const value = parseReadingOutput('card10-bme680 8 22.5 47.25 1009.5 87654.0 42.5 1 523.0 0.62\r\n');
    const text = renderFamilies(
      card10Families({
        state: 'polling',
        up: true,
        devicePath: '/dev/card10',
        reading: { value, lastSeen: 1_700_000_000_000 },
        lastReadingAt: 1_700_000_000_000,
        errors,
      }),
    );
    expectGolden('metrics-bsec.prom', text);
    const check = promtoolCheckMetrics(text);
    if (check) expect(check).toEqual({ ok: true, output: '' });
  });

  it('exports only up and the error counters when there never was a reading', () => {
    const text = renderFamilies(card10Families({ state: 'connecting', up: false, errors }));
    expectGolden('metrics-no-reading.prom', text);
    expect(text).not.toContain('card10_bme680_');
    expect(text).not.toContain('card10_last_reading_timestamp_seconds');
  });
});
