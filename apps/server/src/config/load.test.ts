import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireProgram } from '@motley/exporter-kit/testing';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from './default-config.js';
import { loadConfigFile, parseConfig } from './load.js';

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, 'testdata');
const goodFiles = readdirSync(testdata).filter((f) => f.endsWith('.good.yml'));
const badFiles = readdirSync(testdata).filter((f) => f.endsWith('.bad.yml'));
const promtool = requireProgram('promtool', 'prometheus');

describe('good configuration files', () => {
  it.each(goodFiles)('%s loads', (file) => {
    const config = loadConfigFile(join(testdata, file));
    expect(config.scrapeConfigs.length).toBeGreaterThan(0);
  });

  it.skipIf(!promtool).each(goodFiles)('promtool check config accepts %s', (file) => {
    const out = execFileSync(promtool as string, ['check', 'config', file], {
      cwd: testdata,
      encoding: 'utf8',
    });
    expect(out).toContain('SUCCESS');
  });
});

describe('bad configuration files', () => {
  it.each(badFiles)('%s fails with the expected file:line: key: reason', (file) => {
    const text = readFileSync(join(testdata, file), 'utf8');
    const expected = /^# expect: (.*)$/m.exec(text)?.[1];
    expect(expected, 'each bad file starts with "# expect: <error>"').toBeTruthy();
    expect(() => parseConfig(text, join(testdata, file), file)).toThrow(expected);
    try {
      parseConfig(text, join(testdata, file), file);
    } catch (e) {
      expect((e as Error).message.split('\n')[0]).toBe(expected);
    }
  });
});

describe('semantics', () => {
  it('fills defaults the way Prometheus does', () => {
    const c = parseConfig(
      'global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: a\n  - job_name: b\n    scrape_interval: 1m\n',
      '/etc/p.yml',
    );
    const [a, b] = c.scrapeConfigs;
    // The global timeout (10s) is clamped to a 5s interval when no timeout is given.
    expect(a).toMatchObject({
      scrapeInterval: 5000,
      scrapeTimeout: 5000,
      metricsPath: '/metrics',
      scheme: 'http',
      honorTimestamps: true,
      honorLabels: false,
    });
    expect(b).toMatchObject({ scrapeInterval: 60000, scrapeTimeout: 5000 });
  });

  it('resolves relative paths against the configuration file', () => {
    const c = loadConfigFile(join(testdata, 'every-field.good.yml'));
    const full = c.scrapeConfigs[0];
    expect(full.fileSdConfigs[0].files[0]).toBe(join(testdata, 'file_sd/*.yml'));
    expect(full.http.basicAuth?.passwordFile).toBe(join(testdata, 'secrets/password'));
    expect(full.bodySizeLimit).toBe(10 * 1024 * 1024);
    expect(full.params).toEqual({ module: ['if_mib'], target: ['a', 'b'] });
    expect(full.relabelConfigs.map((r) => r.action)).toEqual([
      'replace',
      'hashmod',
      'keep',
      'labelmap',
      'labeldrop',
      'uppercase',
    ]);
    expect(c.global.externalLabels).toEqual([{ name: 'site', value: 'home' }]);
  });

  it('gives equal fingerprints to equal jobs and different ones otherwise', () => {
    const text = 'scrape_configs:\n  - job_name: a\n    static_configs: [{targets: [x:1]}]\n';
    const one = parseConfig(text, '/p.yml').scrapeConfigs[0];
    const two = parseConfig(text, '/p.yml').scrapeConfigs[0];
    const three = parseConfig(text.replace('x:1', 'x:2'), '/p.yml').scrapeConfigs[0];
    expect(one.fingerprint).toBe(two.fingerprint);
    expect(one.fingerprint).not.toBe(three.fingerprint);
  });

  it('embeds a default config that scrapes the server and a local node exporter', () => {
    const c = defaultConfig('127.0.0.1:8428');
    expect(c.scrapeConfigs.map((s) => [s.jobName, s.staticConfigs[0].targets])).toEqual([
      ['motley', ['127.0.0.1:8428']],
      ['node', ['127.0.0.1:9100']],
    ]);
  });
});

describe('motley --check', () => {
  const main = join(here, '../../dist/main.js');
  it('exits 0 for a valid file and 1 with file:line for an invalid one', () => {
    const good = spawnSync(
      process.execPath,
      [main, `--config.file=${join(testdata, 'example-file-sd.good.yml')}`, '--check'],
      { encoding: 'utf8' },
    );
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/OK \(2 scrape configs, 1 file_sd files\)/);
    const bad = spawnSync(
      process.execPath,
      [main, `--config.file=${join(testdata, 'unknown-key.bad.yml')}`, '--check'],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unknown-key\.bad\.yml:4: scrape_configs\[0\]\.scrape_intervall: unknown key/);
  });
});
