import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireProgram } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSeries, type ServerProcess, startServerProcess, waitFor } from './helpers.js';

const prometheus = requireProgram('prometheus');
const vmagent = requireProgram('vmagent', 'victoria-metrics');

/** An exporter whose counter goes up by one per scrape, so every scrape has a known value. */
class CountingExporter {
  private server: Server | undefined;
  scrapes = 0;
  address = '';
  async start(): Promise<void> {
    this.server = createServer((_req, res) => {
      this.scrapes++;
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(
        `# TYPE interop_counter_total counter\ninterop_counter_total{kind="a"} ${this.scrapes}\ninterop_gauge 0.125\n`,
      );
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.address = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

function run(cmd: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d) => {
    log = (log + d).slice(-8000);
  });
  child.stderr?.on('data', (d) => {
    log = (log + d).slice(-8000);
  });
  return { child, log: () => log };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await exited;
}

describe('remote write from real senders (interop)', () => {
  let dir: string;
  let server: ServerProcess;
  const exporter = new CountingExporter();
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motley-interop-rw-'));
    server = await startServerProcess(join(dir, 'motley'));
    await exporter.start();
  });
  afterAll(async () => {
    for (const c of children) await stopChild(c);
    await server?.kill9();
    await exporter.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!prometheus)('stores exactly the samples Prometheus 2.42 scraped and remote-wrote', async () => {
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      `global: {scrape_interval: 1s}
scrape_configs:
  - job_name: via_prometheus
    static_configs: [{targets: ['${exporter.address}']}]
remote_write:
  - url: ${server.url}/api/v1/write
    queue_config: {batch_send_deadline: 1s, max_samples_per_send: 100}
`,
    );
    const p = run(prometheus as string, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'prom-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ]);
    children.push(p.child);
    const promUrl = `http://127.0.0.1:${port}`;
    // Prometheus' own TSDB is the reference: every sample it holds must arrive here, bit for bit.
    const reference = await waitFor('Prometheus to hold 4 scrapes', async () => {
      const res = await fetch(
        `${promUrl}/api/v1/query?${new URLSearchParams({ query: '{job="via_prometheus"}[5m]' })}`,
      );
      const body = (await res.json()) as {
        data: { result: Array<{ metric: Record<string, string>; values: [number, string][] }> };
      };
      const counter = body.data.result.find((r) => r.metric.__name__ === 'interop_counter_total');
      return counter && counter.values.length >= 4 ? body.data.result : undefined;
    });
    await waitFor(
      'our export to contain every sample Prometheus has',
      async () => {
        const ours = await exportSeries(server.url, '{job="via_prometheus"}');
        for (const ref of reference) {
          const mine = ours.find(
            (s) => JSON.stringify(sortKeys(s.metric)) === JSON.stringify(sortKeys(ref.metric)),
          );
          if (!mine) return undefined;
          for (const [t, v] of ref.values) {
            const i = mine.timestamps.indexOf(Math.round(t * 1000));
            if (i < 0) return undefined;
            expect(mine.values[i]).toBe(Number(v));
          }
        }
        return true;
      },
      30_000,
    );
    expect(reference.map((r) => r.metric.__name__)).toEqual(
      expect.arrayContaining(['up', 'interop_counter_total', 'interop_gauge']),
    );
    await stopChild(p.child);
  });

  it.skipIf(!vmagent)("stores vmagent's scrapes with the values the exporter served", async () => {
    const port = await freePort();
    const config = join(dir, 'vmagent.yml');
    writeFileSync(
      config,
      `global: {scrape_interval: 1s}
scrape_configs:
  - job_name: via_vmagent
    static_configs: [{targets: ['${exporter.address}']}]
`,
    );
    const before = exporter.scrapes;
    const v = run(vmagent as string, [
      `-promscrape.config=${config}`,
      `-remoteWrite.url=${server.url}/api/v1/write`,
      `-remoteWrite.tmpDataPath=${join(dir, 'vmagent-data')}`,
      '-remoteWrite.flushInterval=500ms',
      `-httpListenAddr=127.0.0.1:${port}`,
      '-loggerLevel=ERROR',
    ]);
    children.push(v.child);
    const got = await waitFor('vmagent samples', async () => {
      const ours = await exportSeries(server.url, '{job="via_vmagent"}');
      const counter = ours.find((s) => s.metric.__name__ === 'interop_counter_total');
      return counter && counter.values.length >= 4 ? ours : undefined;
    });
    const counter = got.find((s) => s.metric.__name__ === 'interop_counter_total');
    expect(counter?.metric).toEqual({
      __name__: 'interop_counter_total',
      instance: exporter.address,
      job: 'via_vmagent',
      kind: 'a',
    });
    // Every stored value is one the exporter served to vmagent, in scrape order.
    const values = counter?.values ?? [];
    for (let i = 0; i < values.length; i++) {
      expect(values[i]).toBeGreaterThan(before);
      expect(values[i]).toBeLessThanOrEqual(exporter.scrapes);
      if (i > 0) expect(values[i]).toBeGreaterThan(values[i - 1]);
    }
    const gauge = got.find((s) => s.metric.__name__ === 'interop_gauge');
    expect(new Set(gauge?.values)).toEqual(new Set([0.125]));
    expect(got.find((s) => s.metric.__name__ === 'up')?.values.every((x) => x === 1)).toBe(true);
    await stopChild(v.child);
  });
});

function sortKeys(r: Record<string, string>): Array<[string, string]> {
  return Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1));
}
