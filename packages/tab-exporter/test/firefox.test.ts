// A real headless Firefox writes the session file; the real exporter process counts its tabs.
// Needs firefox-esr (apt-get install -y firefox-esr) and the build.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promtoolCheckMetrics, requireProgram, sampleValue, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMozLz4 } from '../src/mozlz4.js';
import { type RunningBinary, startBinary } from './binary.js';

const firefox = requireProgram('firefox-esr');
const PROFILE = 'headless';

// Prefs for a quiet, fast test profile: save the session every second, no first-run pages, no
// updates or telemetry, and no popup blocker so the page can open tabs from a timer.
const USER_JS = [
  'user_pref("browser.sessionstore.interval", 1000);',
  'user_pref("browser.startup.page", 0);',
  'user_pref("browser.startup.homepage_override.mstone", "ignore");',
  'user_pref("startup.homepage_welcome_url", "");',
  'user_pref("browser.aboutwelcome.enabled", false);',
  'user_pref("browser.shell.checkDefaultBrowser", false);',
  'user_pref("app.update.enabled", false);',
  'user_pref("app.update.auto", false);',
  'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
  'user_pref("datareporting.healthreport.uploadEnabled", false);',
  'user_pref("toolkit.telemetry.enabled", false);',
  'user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);',
  'user_pref("dom.disable_open_during_load", false);',
  'user_pref("dom.block_multiple_popups", false);',
  'user_pref("dom.popup_maximum", -1);',
  'user_pref("browser.link.open_newwindow.restriction", 2);',
  '',
].join('\n');

/**
 * Pages for Firefox: /page/N, and /opener, which polls /command and opens (or closes) the tabs
 * and windows it is told to, so the test decides when the count changes.
 */
function startPages(): Promise<{
  server: Server;
  base: string;
  command: { tabs: number; windows: number; close: number; seq: number };
}> {
  const command = { tabs: 0, windows: 0, close: 0, seq: 0 };
  // One window.open per tick: Firefox drops some of several opened in one go without a user gesture.
  const opener = `<!doctype html><title>opener</title><script>
let done = 0;
const queue = [];
const openedTabs = [];
setInterval(async () => {
  if (queue.length) {
    const [url, features] = queue.shift();
    if (url === 'close') openedTabs.shift().close();
    else if (features) window.open(url, '_blank', features);
    else openedTabs.push(window.open(url, '_blank'));
    return;
  }
  const c = await (await fetch('/command')).json();
  if (c.seq <= done) return;
  done = c.seq;
  for (let i = 0; i < c.tabs; i++) queue.push(['/page/t' + c.seq + '-' + i, '']);
  for (let i = 0; i < c.windows; i++) queue.push(['/page/w' + c.seq + '-' + i, 'width=320,height=240']);
  for (let i = 0; i < c.close; i++) queue.push(['close', '']);
}, 250);
</script>opener`;
  const server = createServer((req, res) => {
    if (req.url === '/command') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(command));
    } else if (req.url === '/opener') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(opener);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>${req.url}</title>${req.url}`);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, command }),
    ),
  );
}

/** What the session file holds, for failure messages: the URL of every tab per window. */
function describeSession(profileDir: string): string {
  try {
    const file = join(profileDir, 'sessionstore-backups/recovery.jsonlz4');
    const session = JSON.parse(new TextDecoder().decode(decodeMozLz4(readFileSync(file))));
    const windows = session.windows.map((w: { tabs: { entries: { url: string }[] }[] }) =>
      w.tabs.map((t) => t.entries.at(-1)?.url ?? '(no entries)'),
    );
    return `session file windows: ${JSON.stringify(windows)}`;
  } catch (e) {
    return `session file unreadable: ${(e as Error).message}`;
  }
}

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
  let browser: ChildProcess | undefined;
  let browserLog = '';

  beforeAll(async () => {
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(
      join(root, 'profiles.ini'),
      `[Profile0]\nName=${PROFILE}\nIsRelative=1\nPath=headless.profile\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n`,
    );
    writeFileSync(join(profileDir, 'user.js'), USER_JS);
    pages = await startPages();
    exporter = await startBinary([`--firefox.dir=${root}`, '--firefox.running-threshold=3s']);
    // Its own process group, so the whole browser (content processes too) can be killed by PID.
    browser = spawn(
      firefox!,
      [
        '--headless',
        '--no-remote',
        '--profile',
        profileDir,
        `${pages.base}/page/1`,
        `${pages.base}/page/2`,
        `${pages.base}/opener`,
      ],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: tmp.path, MOZ_HEADLESS: '1' },
      },
    );
    browser.stdout!.on('data', (d: Buffer) => (browserLog += d.toString()));
    browser.stderr!.on('data', (d: Buffer) => (browserLog += d.toString()));
  });

  afterAll(async () => {
    if (browser?.pid && browser.exitCode === null) {
      try {
        process.kill(-browser.pid, 'SIGKILL');
      } catch {}
    }
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
      throw new Error(`${(e as Error).message}\nfirefox output:\n${browserLog.slice(-2000)}`);
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
    const exited = new Promise((r) => browser!.once('exit', r));
    process.kill(-browser!.pid!, 'SIGKILL');
    await exited;
    const text = await waitForMetric(exporter, 'firefox_running', (v) => v === 0, 10_000, profileDir);
    expect(sampleValue(text, 'firefox_profile_locked', { profile: PROFILE })).toBe(0);
    // The last session stays readable: the count is what Firefox would restore.
    expect(sampleValue(text, 'firefox_tabs_open', { profile: PROFILE })).toBe(5);
  });
});
