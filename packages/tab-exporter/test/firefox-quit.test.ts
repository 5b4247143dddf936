// Firefox quits cleanly (its last window closes): it writes sessionstore.jsonlz4 and removes
// recovery.jsonlz4; firefox-esr 153 also leaves its lock symlink behind. The exporter must follow
// the file and not be fooled by a stale lock. Needs firefox-esr and the build.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireProgram, sampleValue, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBinary, startBinary } from './binary.js';
import { type Browser, startFirefox, startPages, USER_JS } from './firefox-harness.js';

const firefox = requireProgram('firefox-esr');

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(!firefox)('Firefox quitting cleanly', () => {
  const tmp = tempDir('tab-quit-');
  const profileDir = join(tmp.path, 'quit.profile');
  let pages: Awaited<ReturnType<typeof startPages>>;
  let exporter: RunningBinary;
  let browser: Browser | undefined;

  beforeAll(async () => {
    mkdirSync(profileDir, { recursive: true });
    // Lets the page close its own window: the last window closing is a clean quit.
    writeFileSync(
      join(profileDir, 'user.js'),
      `${USER_JS}user_pref("dom.allow_scripts_to_close_windows", true);\n`,
    );
    pages = await startPages();
    exporter = await startBinary([`--firefox.profile=quit=${profileDir}`, '--firefox.running-threshold=2s']);
  });

  afterAll(async () => {
    await browser?.kill();
    await exporter?.stop();
    await new Promise<void>((r) => (pages ? pages.server.close(() => r()) : r()));
    pages?.server.closeAllConnections();
    tmp.cleanup();
  });

  it('reads sessionstore.jsonlz4 after the quit and ignores the lock left behind', {
    timeout: 90_000,
  }, async () => {
    const recovery = join(profileDir, 'sessionstore-backups/recovery.jsonlz4');
    const onQuit = join(profileDir, 'sessionstore.jsonlz4');
    browser = startFirefox(firefox!, profileDir, tmp.path, [`${pages.base}/closer`]);
    await until('the recovery file', () => existsSync(recovery), 60_000);
    const running = await exporter.metrics();
    expect(sampleValue(running, 'firefox_tabs_open', { profile: 'quit' })).toBe(1);
    expect(sampleValue(running, 'firefox_profile_locked', { profile: 'quit' })).toBe(1);

    pages.command.seq = 1; // the closer page now closes its window
    await until('Firefox to exit', () => browser!.child.exitCode !== null, 30_000);
    expect(existsSync(onQuit)).toBe(true);
    // firefox-esr 153 leaves `lock` pointing at its old PID; the exporter must see through it.
    await new Promise((r) => setTimeout(r, 2_100)); // past --firefox.running-threshold

    const quit = await exporter.metrics();
    expect(sampleValue(quit, 'firefox_session_file_size_bytes', { profile: 'quit' })).toBe(
      statSync(onQuit).size,
    );
    expect(sampleValue(quit, 'firefox_tabs_open', { profile: 'quit' })).toBe(1);
    expect(sampleValue(quit, 'firefox_session_read_error', { profile: 'quit' })).toBe(0);
    expect(sampleValue(quit, 'firefox_profile_locked', { profile: 'quit' })).toBe(0);
    expect(sampleValue(quit, 'firefox_running', { profile: 'quit' })).toBe(0);
  });
});
