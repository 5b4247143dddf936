import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@motley/exporter-kit';
import { ManualClock } from '@motley/exporter-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config/load.js';
import type { TargetGroup } from '../../src/config/types.js';
import { FileDiscovery, globToRegExp } from '../../src/discovery/file-sd.js';
import { ScrapeManager } from '../../src/scrape/scrape-manager.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { FakeExporter, values } from './helpers.js';

let dir: string;
let exporter: FakeExporter;
const stops: Array<() => unknown> = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'motley-sd-'));
  exporter = await new FakeExporter().start();
});
afterAll(async () => {
  await exporter.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

async function until<T>(what: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('file_sd_configs', () => {
  it('matches globs in the file name only', () => {
    expect(globToRegExp('*.json').test('a.json')).toBe(true);
    expect(globToRegExp('node-?.y*ml').test('node-1.yaml')).toBe(true);
    expect(globToRegExp('[ab].yml').test('c.yml')).toBe(false);
    expect(globToRegExp('a.json').test('aXjson')).toBe(false);
  });

  it('reads JSON and YAML, follows writes and atomic renames, keeps the last good groups of a broken file', async () => {
    const sd = mkdtempSync(join(dir, 'sd-'));
    writeFileSync(join(sd, 'a.json'), JSON.stringify([{ targets: ['h1:9100'], labels: { env: 'a' } }]));
    writeFileSync(join(sd, 'b.yml'), '- targets: [h2:9100]\n');
    writeFileSync(join(sd, 'ignored.txt'), 'x');
    let latest: TargetGroup[] = [];
    const fd = new FileDiscovery(
      { files: [join(sd, '*.json'), join(sd, '*.yml')], refreshInterval: 60_000 },
      silentLogger,
      (g) => {
        latest = g;
      },
    );
    fd.start();
    stops.push(() => fd.stop());
    expect(latest.map((g) => [g.targets, g.labels])).toEqual([
      [['h1:9100'], { env: 'a', __meta_filepath: join(sd, 'a.json') }],
      [['h2:9100'], { __meta_filepath: join(sd, 'b.yml') }],
    ]);

    // Atomic replace, the way config management tools write.
    writeFileSync(join(sd, '.b.tmp'), '- targets: [h2:9100, h3:9100]\n');
    renameSync(join(sd, '.b.tmp'), join(sd, 'b.yml'));
    await until(() => (latest.some((g) => g.targets.includes('h3:9100')) ? true : undefined));

    // A broken file keeps its previous targets.
    writeFileSync(join(sd, 'a.json'), '[{"targets": ');
    await new Promise((r) => setTimeout(r, 200));
    expect(latest.some((g) => g.targets.includes('h1:9100'))).toBe(true);

    // A removed file takes its targets with it.
    rmSync(join(sd, 'a.json'));
    await until(() => (latest.some((g) => g.targets.includes('h1:9100')) ? undefined : true));
    expect(latest.flatMap((g) => g.targets)).toEqual(['h2:9100', 'h3:9100']);
  });
});

describe('target labels and reload', () => {
  function manager() {
    const storage = new MemoryStorage();
    const m = new ScrapeManager({ appendable: storage, clock: new ManualClock(), log: silentLogger });
    stops.push(() => m.stop());
    return { storage, m };
  }

  it('builds target labels as Prometheus does and lists dropped targets', () => {
    const { m } = manager();
    const cfg = `scrape_configs:
  - job_name: j
    scrape_interval: 1h
    metrics_path: /m
    static_configs:
      - targets: ['[::1]:9100', 'keep:1', 'drop:1']
        labels: { __meta_x: mx, team: t }
      - targets: ['o:1', 'noport', '[::2]']
        labels: { instance: custom }
    relabel_configs:
      - source_labels: [__address__]
        regex: drop:.*
        action: drop
      - source_labels: [__meta_x]
        target_label: meta
`;
    m.applyConfig(parseConfig(cfg, join(dir, 'p.yml')));
    const active = m
      .activeTargets()
      .map((t) => [t.url, Object.fromEntries(t.labels.map((l) => [l.name, l.value]))]);
    expect(active).toEqual([
      ['http://[::1]:9100/m', { instance: '[::1]:9100', job: 'j', meta: 'mx', team: 't' }],
      ['http://keep:1/m', { instance: 'keep:1', job: 'j', meta: 'mx', team: 't' }],
      ['http://o:1/m', { instance: 'custom', job: 'j' }],
      // As Prometheus 2.42, a missing port is completed from the scheme.
      ['http://noport:80/m', { instance: 'custom', job: 'j' }],
      ['http://[::2]:80/m', { instance: 'custom', job: 'j' }],
    ]);
    const dropped = m
      .droppedTargets()
      .map((t) => Object.fromEntries(t.discoveredLabels.map((l) => [l.name, l.value])));
    expect(dropped).toEqual([
      {
        __address__: 'drop:1',
        __meta_x: 'mx',
        __metrics_path__: '/m',
        __scheme__: 'http',
        __scrape_interval__: '1h0m0s',
        __scrape_timeout__: '10s',
        job: 'j',
        team: 't',
      },
    ]);
  });

  it('keeps unchanged jobs and hands a changed job its targets’ caches', async () => {
    const { storage, m } = manager();
    const file = join(dir, 'reload.yml');
    const job = (name: string, extra = '') =>
      `  - job_name: ${name}\n    scrape_interval: 1h\n    static_configs: [{targets: ['${exporter.address}']}]\n${extra}`;
    writeFileSync(file, `scrape_configs:\n${job('same')}${job('changing')}`);
    m.applyConfig(loadConfigFile(file));
    exporter.response = { body: 'a 1\nb 1\n' };
    const loopOf = (jobName: string) => m.activeTargets().find((t) => t.scrapePool === jobName)?.loop;
    const sameLoop = loopOf('same');
    await sameLoop?.scrapeOnce();
    await loopOf('changing')?.scrapeOnce();

    writeFileSync(file, `scrape_configs:\n${job('same')}${job('changing', '    sample_limit: 100\n')}`);
    m.applyConfig(loadConfigFile(file));
    expect(loopOf('same')).toBe(sameLoop);
    const newLoop = loopOf('changing');
    expect(newLoop?.state.health).toBe('up');
    // The cache came along: the next scrape adds no series and b's disappearance is still noticed.
    exporter.response = { body: 'a 1\n' };
    await newLoop?.scrapeOnce();
    expect(values(storage, 'scrape_series_added', { job: 'changing' }).at(-1)?.v).toBe(0);
    expect(values(storage, 'b', { job: 'changing' }).at(-1)?.stale).toBe(true);
    // No staleness was written for the handed-over target itself.
    expect(values(storage, 'up', { job: 'changing' }).every((p) => !p.stale)).toBe(true);
  });
});
