import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@motley/exporter-kit';
import { ManualClock } from '@motley/exporter-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ScrapeManager } from '../../src/scrape/scrape-manager.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { FakeExporter, samples, values } from './helpers.js';

const T0 = 1_700_000_000_000;
let exporter: FakeExporter;
let dir: string;
const managers: ScrapeManager[] = [];

beforeAll(async () => {
  exporter = await new FakeExporter().start();
  dir = mkdtempSync(join(tmpdir(), 'motley-scrape-'));
});
afterAll(async () => {
  await exporter.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop()));
});

/** A manager over one job (1h interval so only the test triggers scrapes) and its storage. */
function setup(jobYaml = '', globalYaml = '') {
  const storage = new MemoryStorage();
  const clock = new ManualClock(T0);
  const manager = new ScrapeManager({ appendable: storage, clock, log: silentLogger });
  managers.push(manager);
  const text = `global:\n  scrape_interval: 1h\n${globalYaml}scrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: ['${exporter.address}']\n${jobYaml}`;
  manager.applyConfig(parseConfig(text, join(dir, 'prometheus.yml')));
  const loop = () => manager.activeTargets()[0].loop;
  const scrape = async (advanceMs = 15_000) => {
    await loop().scrapeOnce();
    clock.advance(advanceMs);
  };
  return { storage, clock, manager, loop, scrape };
}

describe('scraping one target', () => {
  it('stores samples with target labels and the five synthetic series', async () => {
    const { storage, scrape, loop } = setup();
    exporter.response = { body: '# TYPE a counter\na{x="1"} 5\na{x="2"} 6\nb 1.5\n' };
    await scrape();
    const inst = exporter.address;
    expect(values(storage, 'a', { x: '1' })).toEqual([{ t: T0, v: 5, stale: false }]);
    expect([...samples(storage, 'a').keys()]).toEqual([
      `__name__=a,instance=${inst},job=test,x=1`,
      `__name__=a,instance=${inst},job=test,x=2`,
    ]);
    expect(values(storage, 'up')[0].v).toBe(1);
    expect(values(storage, 'scrape_samples_scraped')[0].v).toBe(3);
    expect(values(storage, 'scrape_samples_post_metric_relabeling')[0].v).toBe(3);
    expect(values(storage, 'scrape_series_added')[0].v).toBe(3);
    expect(values(storage, 'scrape_duration_seconds')[0].v).toBeGreaterThan(0);
    expect(loop().state).toMatchObject({ health: 'up', lastError: '', lastScrape: T0 });
    expect(loop().metadata.byName.get('a')).toEqual({ type: 'counter', help: '', unit: '' });

    await scrape();
    expect(values(storage, 'scrape_series_added')[1].v).toBe(0);
    expect(values(storage, 'a', { x: '1' }).map((p) => p.t)).toEqual([T0, T0 + 15_000]);
  });

  it('sends Accept, Accept-Encoding and the timeout header', async () => {
    const { scrape } = setup('    scrape_timeout: 7s\n');
    exporter.requests.length = 0;
    exporter.response = { body: 'a 1\n' };
    await scrape();
    const h = exporter.requests[0].headers;
    expect(h.accept).toMatch(
      /^application\/openmetrics-text;version=1\.0\.0,.*text\/plain;version=0\.0\.4;q=0\.5/,
    );
    expect(h['accept-encoding']).toBe('gzip');
    expect(h['x-prometheus-scrape-timeout-seconds']).toBe('7');
  });

  it('renames clashing exposed labels to exported_* unless honor_labels', async () => {
    exporter.response = { body: 'a{job="theirs",instance="i",exported_job="x"} 1\n' };
    const plain = setup();
    await plain.scrape();
    expect([...samples(plain.storage, 'a').keys()]).toEqual([
      `__name__=a,exported_exported_job=theirs,exported_instance=i,exported_job=x,instance=${exporter.address},job=test`,
    ]);
    const honor = setup('    honor_labels: true\n');
    await honor.scrape();
    expect([...samples(honor.storage, 'a').keys()]).toEqual([
      '__name__=a,exported_job=x,instance=i,job=theirs',
    ]);
  });

  it('uses exposed timestamps only with honor_timestamps', async () => {
    exporter.response = { body: 'a 1 1600000000000\n' };
    const honored = setup();
    await honored.scrape();
    expect(values(honored.storage, 'a')[0].t).toBe(1_600_000_000_000);
    const ignored = setup('    honor_timestamps: false\n');
    await ignored.scrape();
    expect(values(ignored.storage, 'a')[0].t).toBe(T0);
  });

  it('applies metric_relabel_configs and counts what is left', async () => {
    const { storage, scrape } = setup(
      "    metric_relabel_configs:\n      - source_labels: [__name__]\n        regex: 'go_.*'\n        action: drop\n      - source_labels: [x]\n        target_label: y\n",
    );
    exporter.response = { body: 'go_a 1\ngo_b 2\nkeep{x="v"} 3\n' };
    await scrape();
    expect(samples(storage, 'go_a').size).toBe(0);
    expect([...samples(storage, 'keep').keys()][0]).toContain('x=v,y=v');
    expect(values(storage, 'scrape_samples_scraped')[0].v).toBe(3);
    expect(values(storage, 'scrape_samples_post_metric_relabeling')[0].v).toBe(1);
  });

  it('parses gzip and OpenMetrics responses', async () => {
    const { storage, scrape } = setup();
    exporter.response = {
      body: '# TYPE c counter\n# UNIT c seconds\nc_total 3 1700000000.5 # {id="x"} 1\n# EOF\n',
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      gzip: true,
    };
    await scrape();
    expect(values(storage, 'c_total')).toEqual([{ t: 1_700_000_000_500, v: 3, stale: false }]);
  });
});

describe('staleness', () => {
  it('marks a vanished series stale at the next scrape', async () => {
    const { storage, scrape } = setup();
    exporter.response = { body: 'a 1\nb 2\n' };
    await scrape();
    exporter.response = { body: 'a 1\n' };
    await scrape();
    const b = values(storage, 'b');
    expect(b.map((p) => [p.t, p.stale])).toEqual([
      [T0, false],
      [T0 + 15_000, true],
    ]);
    expect(values(storage, 'a').every((p) => !p.stale)).toBe(true);
  });

  it('marks every series stale when a scrape fails, and reports up=0 with the reason', async () => {
    const { storage, scrape, loop } = setup();
    exporter.response = { body: 'a 1\nb 2\n' };
    await scrape();
    exporter.response = { status: 500, body: 'oops' };
    await scrape();
    expect(values(storage, 'a')[1].stale).toBe(true);
    expect(values(storage, 'b')[1].stale).toBe(true);
    expect(values(storage, 'up').map((p) => p.v)).toEqual([1, 0]);
    expect(loop().state).toMatchObject({
      health: 'down',
      lastError: 'server returned HTTP status 500 Internal Server Error',
    });
    // A second failure writes no further markers.
    await scrape();
    expect(values(storage, 'a')).toHaveLength(2);
  });

  it('does not mark series with exposed timestamps stale', async () => {
    const { storage, scrape } = setup();
    exporter.response = { body: 'a 1 1600000000000\n' };
    await scrape();
    exporter.response = { body: '' };
    await scrape();
    expect(values(storage, 'a')).toHaveLength(1);
    expect(values(storage, 'a')[0]).toEqual({ t: 1600000000000, v: 1, stale: false });
    // Both scrapes succeeded: the missing series is simply gone, not a failure.
    expect(values(storage, 'up').map((p) => p.v)).toEqual([1, 1]);
  });

  it('marks every series and the synthetic ones stale when the target goes away', async () => {
    const { storage, scrape, manager } = setup();
    exporter.response = { body: 'a 1\n' };
    await scrape();
    manager.applyConfig(parseConfig('scrape_configs: []\n', join(dir, 'p.yml')));
    await new Promise((r) => setTimeout(r, 20));
    expect(values(storage, 'a').at(-1)?.stale).toBe(true);
    expect(values(storage, 'up').at(-1)?.stale).toBe(true);
  });
});

describe('failed scrapes store nothing but the synthetic series', () => {
  it.each([
    ['sample_limit', '    sample_limit: 2\n', 'a 1\nb 2\nc 3\n', 'sample limit exceeded (limit: 2)'],
    [
      'label_limit',
      '    label_limit: 2\n',
      'a{x="1",y="2"} 1\n',
      'label_limit exceeded (metric: a, number of labels: 5, limit: 2)',
    ],
    [
      'label_value_length_limit',
      '    label_value_length_limit: 3\n',
      'a{x="long value"} 1\n',
      /label_value_length_limit exceeded/,
    ],
    [
      'body_size_limit',
      '    body_size_limit: 1KB\n',
      `${'a 1\n'.repeat(400)}`,
      'body size limit exceeded (limit: 1024 bytes)',
    ],
    ['garbage', '', 'a{x="1" 1\n', /^line 1: expected "," or "}"/],
    ['binary garbage', '', '\u0000\u0001\u00ff\n', /^line 1: invalid metric name/],
  ])('%s', async (_name, job, body, error) => {
    const { storage, scrape, loop } = setup(job);
    exporter.response = { body };
    await scrape();
    expect(samples(storage, 'a').size).toBe(0);
    expect(values(storage, 'up')[0].v).toBe(0);
    expect(values(storage, 'scrape_samples_scraped')[0].v).toBe(0);
    if (typeof error === 'string') expect(loop().state.lastError).toBe(error);
    else expect(loop().state.lastError).toMatch(error);
  });

  it('times out a slow target', async () => {
    const { storage, scrape, loop } = setup('    scrape_timeout: 100ms\n');
    exporter.response = { body: 'a 1\n', delayMs: 1000 };
    await scrape();
    expect(values(storage, 'up')[0].v).toBe(0);
    expect(loop().state.lastError).toBe('scrape timed out after 0.1s');
    expect(values(storage, 'scrape_duration_seconds')[0].v).toBeLessThan(0.9);
  });

  it('reports a closed port as connection refused', async () => {
    const closed = await new FakeExporter().start();
    const address = closed.address;
    await closed.close();
    const storage = new MemoryStorage();
    const manager = new ScrapeManager({ appendable: storage, clock: new ManualClock(T0), log: silentLogger });
    managers.push(manager);
    manager.applyConfig(
      parseConfig(
        `scrape_configs:\n  - job_name: x\n    scrape_interval: 1h\n    static_configs: [{targets: ['${address}']}]\n`,
        join(dir, 'p.yml'),
      ),
    );
    await manager.activeTargets()[0].loop.scrapeOnce();
    expect(manager.activeTargets()[0].loop.state.lastError).toMatch(/connection refused/);
  });
});

describe('HTTP client options', () => {
  it('sends basic auth with the password file read at every scrape', async () => {
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'first\n');
    const { scrape } = setup(`    basic_auth:\n      username: u\n      password_file: ${pw}\n`);
    exporter.response = { body: 'a 1\n' };
    exporter.requests.length = 0;
    await scrape();
    writeFileSync(pw, 'second\n');
    await scrape();
    const auth = exporter.requests.map((r) =>
      Buffer.from(String(r.headers.authorization).slice(6), 'base64').toString(),
    );
    expect(auth).toEqual(['u:first', 'u:second']);
  });

  it('sends a bearer token and params, with __param_ labels overriding', async () => {
    const { scrape } = setup(
      '    authorization:\n      credentials: tok\n    params:\n      module: [a]\n      extra: [x, y]\n    relabel_configs:\n      - target_label: __param_module\n        replacement: b\n',
    );
    exporter.response = { body: 'a 1\n' };
    exporter.requests.length = 0;
    await scrape();
    expect(exporter.requests[0].headers.authorization).toBe('Bearer tok');
    expect(exporter.requests[0].url).toBe('/metrics?module=b&extra=x&extra=y');
  });
});

describe('fuzzed garbage expositions', () => {
  it('either stores the scrape or fails it cleanly with up=0, never throwing', async () => {
    const { storage, scrape, loop } = setup();
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const valid = '# HELP m h\n# TYPE m gauge\nm{a="1"} 1\nn 2 1700000000000\n';
    const alphabet = 'mn{}="\\#\n 1.eE+-aNIf\u0000\u00ff';
    let failures = 0;
    for (let round = 0; round < 60; round++) {
      const chars = [...valid];
      for (let k = 0; k < 4; k++)
        chars[Math.floor(rand() * chars.length)] = alphabet[Math.floor(rand() * alphabet.length)];
      exporter.response = { body: chars.join('') };
      await scrape();
      const up = values(storage, 'up').at(-1)?.v;
      if (loop().state.health === 'down') {
        failures++;
        expect(up).toBe(0);
        expect(loop().state.lastError).toMatch(/^line \d+: |^invalid /);
      } else expect(up).toBe(1);
    }
    expect(failures).toBeGreaterThan(10);
  });
});

describe('scrape engine metrics', () => {
  it('counts scrapes by outcome and targets per pool on the given registry', async () => {
    const { Registry } = await import('prom-client');
    const registry = new Registry();
    const storage = new MemoryStorage();
    const manager = new ScrapeManager({
      appendable: storage,
      clock: new ManualClock(T0),
      log: silentLogger,
      registry,
    });
    managers.push(manager);
    manager.applyConfig(
      parseConfig(
        `scrape_configs:\n  - job_name: m\n    scrape_interval: 1h\n    static_configs: [{targets: ['${exporter.address}']}]\n`,
        join(dir, 'p.yml'),
      ),
    );
    const loop = manager.activeTargets()[0].loop;
    exporter.response = { body: 'a 1\n' };
    await loop.scrapeOnce();
    exporter.response = { status: 503, body: '' };
    await loop.scrapeOnce();
    const text = await registry.metrics();
    expect(text).toContain('motley_target_scrapes_total{outcome="up"} 1');
    expect(text).toContain('motley_target_scrapes_total{outcome="down"} 1');
    expect(text).toContain('motley_target_scrape_pool_targets{scrape_pool="m"} 1');
  });
});

describe('self-scrape', () => {
  it('stores the server’s own metrics as job="motley", instance="self"', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock(T0);
    const manager = new ScrapeManager({
      appendable: storage,
      clock,
      log: silentLogger,
      selfScrape: {
        interval: 3_600_000,
        fetch: async () => ({ contentType: 'text/plain', body: Buffer.from('motley_thing 4\n') }),
      },
    });
    managers.push(manager);
    manager.start();
    // The self loop is private; an hour-long interval means only its first run can be awaited via stop().
    await (manager as unknown as { selfLoop: { scrapeOnce(): Promise<void> } }).selfLoop.scrapeOnce();
    expect(values(storage, 'motley_thing', { job: 'motley', instance: 'self' })[0].v).toBe(4);
    expect(values(storage, 'up', { job: 'motley', instance: 'self' })[0].v).toBe(1);
  });
});

describe('target addresses and limits', () => {
  it('scrapes an IPv6 target written [::1]:port', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('v6_metric 6\n'));
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return; // no IPv6 on this host's loopback
    try {
      const port = (server.address() as { port: number }).port;
      const storage = new MemoryStorage();
      const manager = new ScrapeManager({
        appendable: storage,
        clock: new ManualClock(T0),
        log: silentLogger,
      });
      managers.push(manager);
      manager.applyConfig(
        parseConfig(
          `scrape_configs:\n  - job_name: v6\n    scrape_interval: 1h\n    static_configs: [{targets: ['[::1]:${port}']}]\n`,
          join(dir, 'p.yml'),
        ),
      );
      const loop = manager.activeTargets()[0].loop;
      await loop.scrapeOnce();
      expect(loop.state.lastError).toBe('');
      expect(values(storage, 'v6_metric', { instance: `[::1]:${port}` })[0].v).toBe(6);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('fails every target of a job over target_limit', async () => {
    const storage = new MemoryStorage();
    const manager = new ScrapeManager({ appendable: storage, clock: new ManualClock(T0), log: silentLogger });
    managers.push(manager);
    exporter.response = { body: 'a 1\n' };
    manager.applyConfig(
      parseConfig(
        `scrape_configs:\n  - job_name: many\n    scrape_interval: 1h\n    target_limit: 1\n    static_configs: [{targets: ['${exporter.address}', 'localhost:${exporter.port}']}]\n`,
        join(dir, 'p.yml'),
      ),
    );
    for (const t of manager.activeTargets()) await t.loop.scrapeOnce();
    expect(manager.activeTargets().map((t) => t.loop.state.lastError)).toEqual([
      'target_limit exceeded (number of targets: 2, limit: 1)',
      'target_limit exceeded (number of targets: 2, limit: 1)',
    ]);
    expect(samples(storage, 'a').size).toBe(0);
  });
});
