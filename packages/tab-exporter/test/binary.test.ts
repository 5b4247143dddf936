// The real process: flags, HTTP, promtool, bad files while running, subcommands.
// Needs the build: pnpm --filter @motley/tab-exporter build
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promtoolCheckMetrics, sampleValue, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBinary, runBinary, startBinary } from './binary.js';

const fixtures = fileURLToPath(new URL('fixtures/home', import.meta.url));

describe('tab-exporter process', () => {
  const home = tempDir('tab-binary-');
  const firefoxDir = join(home.path, '.mozilla/firefox');
  const workSession = join(firefoxDir, 'work.profile/sessionstore.jsonlz4');
  let exporter: RunningBinary;

  beforeAll(async () => {
    cpSync(fixtures, home.path, { recursive: true });
    exporter = await startBinary([
      `--firefox.dir=${firefoxDir}`,
      '--firefox.profile=extra=/nonexistent/profile',
    ]);
  });
  afterAll(async () => {
    await exporter?.stop();
    home.cleanup();
  });

  it('logs what it watches at startup', () => {
    expect(exporter.stderr()).toMatch(
      /level=info msg="watching profile" profile=work dir=\S+work\.profile tabs=7 windows=2 /,
    );
    expect(exporter.stderr()).toMatch(/msg="watching profile" profile=fresh .*session_file="none yet"/);
  });

  it('serves the counts over HTTP and promtool accepts them', async () => {
    const text = await exporter.metrics();
    expect(sampleValue(text, 'firefox_tabs_open', { profile: 'work' })).toBe(7);
    expect(sampleValue(text, 'firefox_tabs_open', { profile: 'default-release' })).toBe(1);
    expect(sampleValue(text, 'firefox_session_read_error', { profile: 'broken' })).toBe(1);
    expect(
      sampleValue(text, 'firefox_profile_info', { profile: 'extra', path: '/nonexistent/profile' }),
    ).toBe(1);
    expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    const check = promtoolCheckMetrics(text);
    if (check) expect(check).toEqual({ ok: true, output: '' });
  });

  it('a session file going bad costs that profile its counts only; fixing it brings them back', async () => {
    const good = readFileSync(workSession);
    writeFileSync(workSession, Buffer.from('mozLz40\0\xff\xff\xff\x7fgarbage', 'latin1'));
    const bad = await exporter.metrics();
    expect(sampleValue(bad, 'firefox_session_read_error', { profile: 'work' })).toBe(1);
    expect(sampleValue(bad, 'firefox_tabs_open', { profile: 'work' })).toBeUndefined();
    expect(sampleValue(bad, 'firefox_tabs_open', { profile: 'default-release' })).toBe(1);
    expect(sampleValue(bad, 'firefox_scrape_collector_success', { collector: 'session' })).toBe(1);
    expect(exporter.stderr()).toMatch(
      /level=warn msg="cannot read session file" .*over the limit of 268435456/,
    );
    writeFileSync(workSession, good);
    const fixed = await exporter.metrics();
    expect(sampleValue(fixed, 'firefox_session_read_error', { profile: 'work' })).toBe(0);
    expect(sampleValue(fixed, 'firefox_tabs_open', { profile: 'work' })).toBe(7);
  });

  it('a new profile in profiles.ini shows up without a restart', async () => {
    const ini = join(firefoxDir, 'profiles.ini');
    writeFileSync(
      ini,
      `${readFileSync(ini, 'utf8')}\n[Profile9]\nName=added\nIsRelative=1\nPath=work.profile\n`,
    );
    // Same directory as "work": listed once, under its first name.
    expect(
      sampleValue(await exporter.metrics(), 'firefox_profile_info', { profile: 'added' }),
    ).toBeUndefined();
    writeFileSync(
      ini,
      `${readFileSync(ini, 'utf8')}\n[Profile10]\nName=other\nIsRelative=0\nPath=${home.path}/other\n`,
    );
    expect(sampleValue(await exporter.metrics(), 'firefox_profile_info', { profile: 'other' })).toBe(1);
  });

  it('bad flags: exit 2 with one line', () => {
    const r = runBinary(['--firefox.running-threshold=soon']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--firefox.running-threshold: not a valid duration/);
    expect(runBinary(['--firefox.max-session-bytes=0']).stderr).toMatch(/must be a positive number/);
  });

  it('decode prints the JSON; count prints per profile; bad files exit 1 with one line', () => {
    const decoded = runBinary(['decode', workSession]);
    expect(decoded.status).toBe(0);
    expect(JSON.parse(decoded.stdout).windows).toHaveLength(2);
    const counted = runBinary(['count', join(firefoxDir, 'work.profile'), workSession]);
    expect(counted.stdout).toBe(
      `${join(firefoxDir, 'work.profile')}: 7 tabs in 2 windows (2 pinned)\n${workSession}: 7 tabs in 2 windows (2 pinned)\n`,
    );
    const broken = runBinary(['decode', join(firefoxDir, 'profiles.ini')]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/^tab-exporter decode: .*profiles\.ini: not a mozlz4 file/);
    expect(runBinary(['count', '--home']).status).toBe(2);
    const emptyHome = join(home.path, 'empty-home');
    const none = runBinary(['count'], { ...process.env, HOME: emptyHome });
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(
      `tab-exporter count: no Firefox profiles found under ${emptyHome}; give a profile directory\n`,
    );
    const found = runBinary(['count'], { ...process.env, HOME: home.path });
    expect(found.stdout).toContain('work: 7 tabs in 2 windows (2 pinned)\n');
    expect(found.stdout).toMatch(/abcd1234\.default-release\): 1 tab in 1 window \(0 pinned\)\n/);
    expect(found.status).toBe(1); // the broken and fresh profiles
  });
});
