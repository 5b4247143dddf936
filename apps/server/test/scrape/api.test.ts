import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, silentLogger, systemClock } from '@motley/exporter-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, serverFlags, startServer } from '../../src/roles/server.js';
import { FakeExporter } from './helpers.js';

let dir: string;
let exporter: FakeExporter;
let server: RunningServer;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'motley-api-'));
  exporter = await new FakeExporter().start();
  exporter.response = {
    body: '# HELP temp_celsius Temperature.\n# TYPE temp_celsius gauge\ntemp_celsius{room="a"} 21.5\n',
  };
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await server?.stop();
  await exporter.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function config(jobs: string[], interval = '1s'): string {
  return `global:\n  scrape_interval: ${interval}\nscrape_configs:\n${jobs
    .map((j) => `  - job_name: ${j}\n    static_configs: [{targets: ['${exporter.address}']}]\n`)
    .join(
      '',
    )}  - job_name: gone\n    static_configs: [{targets: ['127.0.0.1:1']}]\n    relabel_configs: [{source_labels: [__address__], regex: '.*:1', action: drop}]\n`;
}

describe('targets, metadata and reload over HTTP', () => {
  it('serves /api/v1/targets and /api/v1/metadata in Prometheus’ shape and reloads on POST /-/reload', async () => {
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, config(['one']));
    const flags = parseFlags(serverFlags, [
      '--web.listen-address=127.0.0.1:0',
      `--config.file=${file}`,
      `--storage.path=${join(dir, 'data1')}`,
    ]);
    server = await startServer({ flags, log: silentLogger, clock: systemClock });
    const base = server.urls[0];
    const targets = await until(async () => {
      const body = await (await fetch(`${base}/api/v1/targets`)).json();
      return body.data.activeTargets[0]?.health === 'up' ? body : undefined;
    });
    const t = targets.data.activeTargets[0];
    expect(t).toMatchObject({
      labels: { instance: exporter.address, job: 'one' },
      discoveredLabels: {
        __address__: exporter.address,
        job: 'one',
        __scheme__: 'http',
        __metrics_path__: '/metrics',
      },
      scrapePool: 'one',
      scrapeUrl: `http://${exporter.address}/metrics`,
      lastError: '',
      health: 'up',
      scrapeInterval: '1s',
      scrapeTimeout: '1s',
    });
    expect(Date.parse(t.lastScrape)).toBeGreaterThan(Date.now() - 10_000);
    expect(t.lastScrapeDuration).toBeGreaterThan(0);
    expect(targets.data.droppedTargets).toEqual([
      { discoveredLabels: expect.objectContaining({ __address__: '127.0.0.1:1', job: 'gone' }) },
    ]);
    const dropped = await (await fetch(`${base}/api/v1/targets?state=dropped`)).json();
    expect(dropped.data.activeTargets).toEqual([]);

    const meta = await (await fetch(`${base}/api/v1/metadata?metric=temp_celsius`)).json();
    expect(meta).toEqual({
      status: 'success',
      data: { temp_celsius: [{ type: 'gauge', help: 'Temperature.', unit: '' }] },
    });

    writeFileSync(file, config(['one', 'two']));
    const reload = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(reload.status).toBe(200);
    const pools = (await (await fetch(`${base}/api/v1/targets`)).json()).data.activeTargets.map(
      (x: { scrapePool: string }) => x.scrapePool,
    );
    expect(pools).toEqual(['one', 'two']);

    writeFileSync(file, 'scrape_configs:\n  - job_name: one\n    bogus: 1\n');
    const bad = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toMatch(
      /failed to reload config: .*prometheus\.yml:3: scrape_configs\[0\]\.bogus: unknown key/,
    );
    // The running configuration stays.
    const still = (await (await fetch(`${base}/api/v1/targets`)).json()).data.activeTargets.length;
    expect(still).toBe(2);
  });

  it('reloads on SIGHUP', async () => {
    const main = join(dirname(fileURLToPath(import.meta.url)), '../../dist/main.js');
    const file = join(dir, 'hup.yml');
    writeFileSync(file, config(['first'], '1h'));
    child = spawn(
      process.execPath,
      [
        main,
        '--web.listen-address=127.0.0.1:0',
        `--config.file=${file}`,
        `--storage.path=${join(dir, 'data2')}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr?.on('data', (d) => {
      log += d;
    });
    const url = await until(async () => /urls=(\S+)/.exec(log)?.[1]);
    const pools = async () =>
      (await (await fetch(`${url}/api/v1/targets`)).json()).data.activeTargets.map(
        (x: { scrapePool: string }) => x.scrapePool,
      );
    await until(async () => ((await pools()).length === 1 ? true : undefined));
    expect(await pools()).toEqual(['first']);
    writeFileSync(file, config(['first', 'second'], '1h'));
    child.kill('SIGHUP');
    await until(async () => ((await pools()).length === 2 ? true : undefined));
    expect(log).toMatch(/configuration reloaded/);
  });
});
