import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFamilies } from '@motley/exporter-kit';
import { ManualClock, sampleValue, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMozLz4 } from './mozlz4.js';
import { SessionCollector } from './session-collector.js';

const tmp = tempDir('tab-collector-');
afterAll(() => tmp.cleanup());

const warnings: string[] = [];
const log = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };

function collector(dirs: string[], profiles: string[], clock: ManualClock) {
  return new SessionCollector({
    search: { dirs, dirsExplicit: true, profiles },
    clock,
    log,
    runningThresholdMs: 60_000,
    maxDecodedBytes: 1 << 20,
  });
}

describe('SessionCollector', () => {
  it('without profiles: no series, and a status line saying where it looked and what to do', async () => {
    const c = collector([join(tmp.path, 'nowhere')], [], new ManualClock());
    expect(c.status()[0]).toMatch(/^No scrape yet/);
    expect(renderFamilies(await c.collect())).toBe('');
    const status = c.status();
    expect(status[0]).toMatch(
      /^No Firefox profiles found\. Searched for profiles\.ini in: .*nowhere\. Start Firefox once/,
    );
    expect(status[1]).toMatch(/nowhere\/profiles\.ini does not exist/);
  });

  it('running: fresh up to the threshold inclusive; age never negative', async () => {
    const dir = join(tmp.path, 'p');
    mkdirSync(dir);
    const file = join(dir, 'sessionstore.jsonlz4');
    writeFileSync(file, encodeMozLz4(new TextEncoder().encode('{"windows":[{"tabs":[{}]}]}')));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const clock = new ManualClock(1_700_000_060_000);
    const c = collector([], [`p=${dir}`], clock);
    const value = async (name: string) =>
      sampleValue(renderFamilies(await c.collect()), name, { profile: 'p' });
    expect(await value('firefox_session_file_age_seconds')).toBe(60);
    expect(await value('firefox_running')).toBe(1);
    clock.advance(1);
    expect(await value('firefox_running')).toBe(0);
    clock.set(1_699_999_990_000); // the clock behind the file's mtime
    expect(await value('firefox_session_file_age_seconds')).toBe(0);
    expect(await value('firefox_running')).toBe(1);
  });

  it('logs a discovery problem once, not on every scrape', async () => {
    warnings.length = 0;
    const c = collector([join(tmp.path, 'missing')], [], new ManualClock());
    await c.collect();
    await c.collect();
    expect(warnings).toEqual(['profile discovery']);
  });
});
