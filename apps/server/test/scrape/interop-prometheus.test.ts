import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@motley/exporter-kit';
import { freePort, requireProgram } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { Matcher } from '../../src/model/matchers.js';
import { ScrapeManager } from '../../src/scrape/scrape-manager.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { values } from './helpers.js';

const prometheus = requireProgram('prometheus');
const nodeExporter = requireProgram('prometheus-node-exporter');

async function until<T>(what: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The same prometheus.yml, the same real node_exporter, scraped by Prometheus 2.42 and by motley:
 * the stored label sets and the synthetic series must agree.
 */
describe.skipIf(!prometheus || !nodeExporter)('interop with Prometheus scraping a real node_exporter', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  let promBase: string;
  let manager: ScrapeManager;
  const storage = new MemoryStorage();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motley-interop-'));
    const nePort = await freePort();
    // A fixed set of collectors whose series do not come and go between two scrapes.
    children.push(
      spawn(
        nodeExporter as string,
        [
          `--web.listen-address=127.0.0.1:${nePort}`,
          '--collector.disable-defaults',
          '--collector.cpu',
          '--collector.meminfo',
          '--collector.loadavg',
          '--collector.stat',
          '--collector.uname',
          '--collector.netdev',
          '--collector.time',
        ],
        { stdio: 'ignore' },
      ),
    );
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:${nePort}']
        labels: {site: lab}
    relabel_configs:
      - source_labels: [__address__]
        regex: '([^:]+):\\d+'
        target_label: host
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'go_gc_.*|go_memstats_.*'
        action: drop
      - source_labels: [__name__, mode]
        regex: 'node_cpu_seconds_total;(idle|user)'
        target_label: busy
        replacement: '$1'
      - regex: 'device'
        action: labeldrop
      - source_labels: [job]
        target_label: team
        replacement: ops-$1
`,
    );
    const promPort = await freePort();
    promBase = `http://127.0.0.1:${promPort}`;
    children.push(
      spawn(
        prometheus as string,
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
          '--log.level=error',
        ],
        { stdio: 'ignore' },
      ),
    );
    manager = new ScrapeManager({ appendable: storage, clock: systemClock, log: silentLogger });
    manager.applyConfig(loadConfigFile(config));
    // Both have scraped at least three times.
    await until(async () => {
      const r = await (
        await fetch(`${promBase}/api/v1/query?query=count_over_time(up{job="node"}[1m])`)
      ).json();
      return Number(r.data.result[0]?.value[1]) >= 3 ? true : undefined;
    });
    await until(async () => (values(storage, 'up', { job: 'node' }).length >= 3 ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    await manager?.stop();
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the same set of series (label sets)', async () => {
    const r = await (
      await fetch(`${promBase}/api/v1/series?match[]=${encodeURIComponent('{job="node"}')}`)
    ).json();
    const theirs = (r.data as Array<Record<string, string>>)
      .map((l) => JSON.stringify(Object.entries(l).sort()))
      .sort();
    const q = storage.querier(0, Number.MAX_SAFE_INTEGER);
    const ours = q
      .select([new Matcher('=', 'job', 'node')])
      .map((s) => JSON.stringify(s.labels.map((l) => [l.name, l.value])))
      .sort();
    q.close();
    expect(theirs.length).toBeGreaterThan(100);
    expect(ours.filter((x) => !theirs.includes(x))).toEqual([]);
    expect(theirs.filter((x) => !ours.includes(x))).toEqual([]);
    // The rules did something: dropped families, a new label, a renamed one.
    expect(ours.some((x) => x.includes('go_memstats'))).toBe(false);
    expect(ours.some((x) => x.includes('["busy","idle"]'))).toBe(true);
    expect(ours.some((x) => x.includes('"device"'))).toBe(false);
  });

  it('writes the same synthetic series', async () => {
    const latest = async (expr: string) => {
      const r = await (await fetch(`${promBase}/api/v1/query?query=${encodeURIComponent(expr)}`)).json();
      return r.data.result.map((x: { metric: Record<string, string>; value: [number, string] }) => [
        x.metric,
        Number(x.value[1]),
      ]);
    };
    for (const name of ['up', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling']) {
      const [[metric, value]] = await latest(`${name}{job="node"}`);
      const ours = values(storage, name, { job: 'node' });
      expect(metric).toEqual({
        __name__: name,
        host: '127.0.0.1',
        instance: metric.instance,
        job: 'node',
        site: 'lab',
      });
      expect(ours.at(-1)?.v).toBe(value);
    }
    // scrape_series_added: everything on the first scrape, nothing after.
    const r = await (
      await fetch(
        `${promBase}/api/v1/query?query=${encodeURIComponent('scrape_series_added{job="node"}[5m]')}`,
      )
    ).json();
    const theirAdded = r.data.result[0].values.map((v: [number, string]) => Number(v[1]));
    const ourAdded = values(storage, 'scrape_series_added', { job: 'node' }).map((p) => p.v);
    expect(ourAdded[0]).toBe(theirAdded[0]);
    expect(ourAdded.slice(1).every((v) => v === 0)).toBe(theirAdded.slice(1).every((v: number) => v === 0));
    const [[, duration]] = await latest('scrape_duration_seconds{job="node"}');
    expect(duration).toBeGreaterThan(0);
    expect(values(storage, 'scrape_duration_seconds', { job: 'node' }).at(-1)?.v).toBeGreaterThan(0);
  });
});
