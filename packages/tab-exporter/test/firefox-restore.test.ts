// Firefox itself reads a session file made by encodeMozLz4: the encoder writes what Firefox
// writes, so the fixtures built with it are real mozlz4. Needs firefox-esr and the build.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireProgram, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMozLz4, encodeMozLz4 } from '../src/mozlz4.js';
import { type Browser, startFirefox, startPages, USER_JS } from './firefox-harness.js';

const firefox = requireProgram('firefox-esr');
const TABS = 12;

describe.skipIf(!firefox)('Firefox restores a session encoded here', () => {
  const tmp = tempDir('tab-restore-');
  const profileDir = join(tmp.path, 'restore.profile');
  let pages: Awaited<ReturnType<typeof startPages>>;
  let browser: Browser | undefined;
  let encoded: Uint8Array;
  const paths = Array.from({ length: TABS }, (_, i) => `/page/restored-${i}`);

  beforeAll(async () => {
    mkdirSync(profileDir, { recursive: true });
    pages = await startPages();
    // Resume the previous session and load every tab at once, so each one is an HTTP request.
    writeFileSync(
      join(profileDir, 'user.js'),
      `${USER_JS}user_pref("browser.startup.page", 3);\nuser_pref("browser.sessionstore.restore_on_demand", false);\n`,
    );
    const tab = (path: string) => ({ entries: [{ url: `${pages.base}${path}`, title: path }], index: 1 });
    const session = {
      version: ['sessionrestore', 1],
      windows: [{ tabs: paths.map(tab), selected: 1, _closedTabs: [] }],
      _closedWindows: [],
      session: { lastUpdate: Date.now() },
    };
    encoded = encodeMozLz4(new TextEncoder().encode(JSON.stringify(session)));
    writeFileSync(join(profileDir, 'sessionstore.jsonlz4'), encoded);
    browser = startFirefox(firefox!, profileDir, tmp.path);
  });

  afterAll(async () => {
    await browser?.kill();
    await new Promise<void>((r) => (pages ? pages.server.close(() => r()) : r()));
    pages?.server.closeAllConnections();
    tmp.cleanup();
  });

  it('the file uses LZ4 matches, not only literals', () => {
    const json = JSON.stringify(JSON.parse(new TextDecoder().decode(decodeMozLz4(encoded))));
    expect(encoded.length).toBeLessThan(json.length / 2);
  });

  it('loads every tab of the session and saves them again', { timeout: 90_000 }, async () => {
    const deadline = Date.now() + 75_000;
    const recovery = join(profileDir, 'sessionstore-backups/recovery.jsonlz4');
    let saved: string[] = [];
    for (;;) {
      if (existsSync(recovery)) {
        try {
          const session = JSON.parse(new TextDecoder().decode(decodeMozLz4(readFileSync(recovery))));
          saved = session.windows.flatMap((w: { tabs: { entries: { url: string }[] }[] }) =>
            w.tabs.map((t) => new URL(t.entries.at(-1)?.url ?? 'about:blank').pathname),
          );
        } catch {}
      }
      if (paths.every((p) => pages.requested.has(p)) && saved.length === TABS) break;
      if (Date.now() > deadline) {
        throw new Error(
          `after 75 s Firefox requested ${[...pages.requested].join(' ')} and saved ${saved.join(' ')}\n${browser?.output().slice(-2000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(saved).toEqual(paths);
  });
});
