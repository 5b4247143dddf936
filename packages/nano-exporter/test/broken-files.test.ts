import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { sampleValue, startOnRandomPort, tempDir } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition } from '../src/exporter.js';
import { FIXTURES } from './support.js';

/** A copy of the fixture tree with some files broken: only their collectors may fail. */
describe('malformed and missing /proc files', () => {
  const tree = tempDir('nano-broken-');
  let text = '';
  let landing = '';
  beforeAll(async () => {
    cpSync(FIXTURES, tree.path, { recursive: true });
    writeFileSync(`${tree.path}/proc/meminfo`, 'MemTotal: plenty kB\n');
    rmSync(`${tree.path}/proc/loadavg`);
    writeFileSync(`${tree.path}/proc/pressure/io`, 'not psi at all\n');
    writeFileSync(`${tree.path}/proc/mdstat`, 'md0 : active raid1 sda1[0]\n   garbage\n');
    rmSync(`${tree.path}/proc/spl`, { recursive: true });
    writeFileSync(`${tree.path}/textfile/zz-broken.prom`, 'broken{ 1\n');
    const running = await startOnRandomPort(definition, [
      `--path.procfs=${tree.path}/proc`,
      `--path.sysfs=${tree.path}/sys`,
      `--collector.textfile.directory=${tree.path}/textfile`,
      '--no-collector.filesystem',
    ]);
    try {
      text = await (await fetch(`${running.url}/metrics`)).text();
      landing = await (await fetch(`${running.url}/`)).text();
    } finally {
      await running.stop();
    }
  });
  afterAll(() => tree.cleanup());

  it('marks exactly the collectors with broken files as failed', () => {
    const failed = [...text.matchAll(/^node_scrape_collector_success\{collector="(\w+)"\} 0$/gm)].map(
      (m) => m[1],
    );
    expect(failed.sort()).toEqual(['loadavg', 'mdadm', 'meminfo', 'pressure']);
    for (const ok of [
      'cpu',
      'stat',
      'vmstat',
      'netdev',
      'netclass',
      'diskstats',
      'hwmon',
      'zfs',
      'textfile',
    ]) {
      expect(sampleValue(text, 'node_scrape_collector_success', { collector: ok })).toBe(1);
    }
  });

  it('still serves the other collectors', () => {
    expect(sampleValue(text, 'node_context_switches_total')).toBeGreaterThan(0);
    expect(text).not.toContain('node_memory_MemTotal_bytes');
    expect(text).not.toContain('node_load1 ');
  });

  it('skips only the broken text file and flags it', () => {
    expect(sampleValue(text, 'node_textfile_scrape_error')).toBe(1);
    expect(sampleValue(text, 'app_jobs_done_total', { queue: 'mail' })).toBe(42);
    expect(text).not.toMatch(/^broken/m);
    const read = [...text.matchAll(/^node_textfile_mtime_seconds\{file="([^"]+)"\}/gm)].map((m) => m[1]);
    expect(read).toEqual([`${tree.path}/textfile/app.prom`]);
  });

  it('says on the landing page why there is no ZFS data and which text file was skipped', () => {
    expect(landing).toContain('zfs: no /proc/spl/kstat/zfs (ZFS module not loaded)');
    expect(landing).toMatch(/textfile: .*zz-broken\.prom: line 1/);
  });
});
