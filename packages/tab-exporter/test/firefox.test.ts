// A real headless Firefox writes the session file; the real exporter process counts its tabs.
// Needs firefox-esr (apt-get install -y firefox-esr) and the build.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promtoolCheckMetrics, requireProgram, sampleValue, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBinary, startBinary } from './binary.js';
import { type Browser, describeSession, startFirefox, startPages, USER_JS } from './firefox-harness.js';

const firefox = requireProgram('firefox-esr');
const PROFILE = 'headless';

/** Polls the exporter until `accept` holds for the value, or fails with the last value seen. */
async function waitForMetric(
  exporter: RunningBinary,
  name: string,
  accept: (v: number | undefined) => boolean,
  timeoutMs: number,
  profileDir: string,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: number | undefined;
  for (;;) {
    const text = await exporter.metrics();
    last = sampleValue(text, name, { profile: PROFILE });
    if (accept(last)) return text;
    if (Date.now() > deadline) {
      throw new Error(
        `${name}{profile="${PROFILE}"} is still ${last} after ${timeoutMs} ms; ${describeSession(profileDir)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!firefox)('a real headless Firefox', () => {
  const tmp = tempDir('tab-firefox-');
  const root = join(tmp.path, 'firefox');
  const profileDir = join(root, 'headless.profile');
  let pages: Awaited<ReturnType<typeof startPages>>;
  let exporter: RunningBinary;
  let browser: Browser | undefined;

  beforeAll(async () => {
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(
      join(root, 'profiles.ini'),
      `[Profile0]\nName=${PROFILE}\nIsRelative=1\nPath=headless.profile\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n`,
    );
    writeFileSync(join(profileDir, 'user.js'), USER_JS);
    pages = await startPages();
    exporter = await startBinary([`--firefox.dir=${root}`, '--firefox.running-threshold=3s']);
    browser = startFirefox(firefox!, profileDir, tmp.path, [
      `${pages.base}/page/1`,
      `${pages.base}/page/2`,
      `${pages.base}/opener`,
    ]);
  });

  afterAll(async () => {
    await browser?.kill();
    await exporter?.stop();
    await new Promise<void>((r) => (pages ? pages.server.close(() => r()) : r()));
    pages?.server.closeAllConnections();
    tmp.cleanup();
  });

  it('reports exactly the tabs Firefox was started with', { timeout: 90_000 }, async () => {
    try {
      const text = await waitForMetric(exporter, 'firefox_tabs_open', (v) => v === 3, 75_000, profileDir);
      expect(sampleValue(text, 'firefox_windows_open', { profile: PROFILE })).toBe(1);
      expect(sampleValue(text, 'firefox_session_read_error', { profile: PROFILE })).toBe(0);
      expect(sampleValue(text, 'firefox_running', { profile: PROFILE })).toBe(1);
      expect(sampleValue(text, 'firefox_profile_locked', { profile: PROFILE })).toBe(1);
      const check = promtoolCheckMetrics(text);
      if (check) expect(check).toEqual({ ok: true, output: '' });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nfirefox output:\n${browser?.output().slice(-2000)}`);
    }
  });

  it('sees the count change when the page opens more tabs and a window', { timeout: 60_000 }, async () => {
    pages.command.tabs = 2;
    pages.command.windows = 1;
    pages.command.seq = 1;
    // 3 + 2 tabs in the first window, 1 in the new one.
    const text = await waitForMetric(exporter, 'firefox_tabs_open', (v) => v === 6, 45_000, profileDir);
    await waitForMetric(exporter, 'firefox_windows_open', (v) => v === 2, 10_000, profileDir);
    expect(sampleValue(text, 'firefox_session_decodes_total', { profile: PROFILE })).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('a closed tab leaves the open count and is counted as recently closed', {
    timeout: 45_000,
  }, async () => {
    pages.command.tabs = 0;
    pages.command.windows = 0;
    pages.command.close = 1;
    pages.command.seq = 2;
    const text = await waitForMetric(exporter, 'firefox_tabs_open', (v) => v === 5, 30_000, profileDir);
    await waitForMetric(exporter, 'firefox_tabs_recently_closed', (v) => v === 1, 10_000, profileDir);
    expect(sampleValue(text, 'firefox_windows_open', { profile: PROFILE })).toBe(2);
  });

  it('an idle Firefox still counts as running through its profile lock; a killed one does not', {
    timeout: 30_000,
  }, async () => {
    await new Promise((r) => setTimeout(r, 3_500)); // longer than --firefox.running-threshold
    const idle = await exporter.metrics();
    expect(sampleValue(idle, 'firefox_profile_locked', { profile: PROFILE })).toBe(1);
    expect(sampleValue(idle, 'firefox_running', { profile: PROFILE })).toBe(1);
    await browser!.kill();
    const text = await waitForMetric(exporter, 'firefox_running', (v) => v === 0, 10_000, profileDir);
    expect(sampleValue(text, 'firefox_profile_locked', { profile: PROFILE })).toBe(0);
    // The last session stays readable: the count is what Firefox would restore.
    expect(sampleValue(text, 'firefox_tabs_open', { profile: PROFILE })).toBe(5);
  });
});
