// The whole /metrics output over the fixture tree, against a golden file.
// Update after an intended change: UPDATE_GOLDEN=1 pnpm exec vitest run packages/tab-exporter/test/golden.test.ts
import { cpSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ManualClock,
  promtoolCheckMetrics,
  sampleValue,
  startOnRandomPort,
  tempDir,
} from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition } from '../src/exporter.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const GOLDEN = join(here, 'fixtures/metrics.golden.prom');
const NOW_MS = 1_700_000_100_000;

describe('metrics over the fixture tree', () => {
  const home = tempDir('tab-golden-');
  const clock = new ManualClock(NOW_MS);
  let exporter: Awaited<ReturnType<typeof startOnRandomPort>>;
  const ff = (rel: string) => join(home.path, '.mozilla/firefox', rel);

  beforeAll(async () => {
    cpSync(join(here, 'fixtures/home'), home.path, { recursive: true });
    // Git keeps no mtimes: pin them. The work session is 40 s old, the real Firefox one 100 s.
    utimesSync(ff('work.profile/sessionstore.jsonlz4'), 1_700_000_060, 1_700_000_060);
    utimesSync(
      ff('abcd1234.default-release/sessionstore-backups/recovery.jsonlz4'),
      1_700_000_000,
      1_700_000_000,
    );
    utimesSync(ff('broken.profile/sessionstore-backups/recovery.jsonlz4'), 1_700_000_090, 1_700_000_090);
    const snap = join(
      home.path,
      'snap/firefox/common/.mozilla/firefox/zz99.default-release/sessionstore-backups/recovery.jsonlz4',
    );
    utimesSync(snap, 1_699_990_000, 1_699_990_000);
    exporter = await startOnRandomPort(definition, [`--firefox.home=${home.path}`], { clock });
  });
  afterAll(async () => {
    await exporter?.stop();
    home.cleanup();
  });

  it('matches the golden file', async () => {
    const { text, failed } = await exporter.scrapeText();
    expect(failed).toEqual([]);
    const normalized = text
      .replaceAll(home.path, '$HOME')
      .replace(/^tab_exporter_build_info\{.*$/m, 'tab_exporter_build_info{...} 1');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, normalized);
    expect(normalized).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('promtool accepts the output', async () => {
    const { text } = await exporter.scrapeText();
    const check = promtoolCheckMetrics(text);
    if (!check) return; // promtool missing outside CI: requireProgram printed why
    expect(check.output).toBe('');
    expect(check.ok).toBe(true);
  });

  it('running follows the session file age under the injected clock', async () => {
    const running = async () =>
      sampleValue((await exporter.scrapeText()).text, 'firefox_running', { profile: 'work' });
    expect(await running()).toBe(1); // 40 s old, threshold 1 m
    clock.advance(21_000);
    expect(await running()).toBe(0);
    clock.set(NOW_MS);
  });

  it('idle tab counts follow the injected clock without decoding again', async () => {
    const idle = async (longer_than: string) =>
      sampleValue((await exporter.scrapeText()).text, 'firefox_tabs_idle', { profile: 'work', longer_than });
    expect(await idle('1d')).toBe(4);
    clock.advance(2 * 86_400_000);
    expect(await idle('1d')).toBe(5); // the tab selected an hour before the session was saved
    expect(await idle('7d')).toBe(3);
    clock.set(NOW_MS);
    const { text } = await exporter.scrapeText();
    expect(sampleValue(text, 'firefox_session_decodes_total', { profile: 'work' })).toBe(1);
  });

  it('decodes each session file only once over many scrapes', async () => {
    for (let i = 0; i < 3; i++) await exporter.scrapeText();
    const { text } = await exporter.scrapeText();
    expect(sampleValue(text, 'firefox_session_decodes_total', { profile: 'work' })).toBe(1);
    expect(sampleValue(text, 'firefox_session_decodes_total', { profile: 'broken' })).toBe(1);
  });

  it('the landing page says what is watched and what is wrong', async () => {
    const page = await (await fetch(exporter.url)).text();
    expect(page).toContain('Profile &quot;work&quot;');
    expect(page).toMatch(/7 tabs in 2 windows/);
    expect(page).toMatch(/broken.*corrupt LZ4 block/);
    expect(page).toMatch(/fresh.*no session file yet/);
  });
});
