import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  exportSeries,
  MAIN,
  remoteWrite,
  type SeriesInput,
  type ServerProcess,
  startServerProcess,
} from './helpers.js';

/** The real server process: acknowledged writes survive kill -9, restarts keep everything, retention drops old chunks. */
describe('storage durability (real process)', () => {
  const dirs: string[] = [];
  const running: ServerProcess[] = [];
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'motley-durable-'));
    dirs.push(d);
    return d;
  };
  const start = async (dir: string, extra: string[] = []) => {
    const p = await startServerProcess(dir, extra);
    running.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill9();
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const batch = (req: number, series: number, now: number): SeriesInput[] =>
    Array.from({ length: series }, (_, s) => ({
      labels: { __name__: 'durable_metric', instance: `i${s}`, job: 'kill9' },
      samples: Array.from({ length: 10 }, (_, k): [number, number] => [
        now + (req * 10 + k) * 1000,
        req * 1000 + s + k / 8,
      ]),
    }));

  it('keeps every acknowledged sample across kill -9, and across a clean restart', async () => {
    const dir = newDir();
    let server = await start(dir);
    const now = Date.now() - 3_600_000;
    const sent = new Map<string, Array<[number, number]>>();
    for (let req = 0; req < 40; req++) {
      const series = batch(req, 50, now);
      const res = await remoteWrite(server.url, series);
      expect(res.status).toBe(204);
      for (const s of series) {
        const list = sent.get(s.labels.instance) ?? [];
        list.push(...(s.samples as Array<[number, number]>));
        sent.set(s.labels.instance, list);
      }
    }
    await server.kill9(); // right after the last 204: no checkpoint had the time to run
    for (const round of ['after kill -9', 'after a clean restart']) {
      server = await start(dir);
      const got = await exportSeries(server.url, 'durable_metric');
      expect(got.length, round).toBe(50);
      for (const s of got) {
        const want = sent.get(s.metric.instance) ?? [];
        expect(s.timestamps, round).toEqual(want.map(([t]) => t));
        expect(s.values, round).toEqual(want.map(([, v]) => v));
      }
      expect(server.log(), round).toMatch(/storage opened/);
      // After kill -9 the samples came back from the durable log, not from a checkpoint.
      if (round === 'after kill -9') expect(server.log()).toMatch(/replayed_batches=[1-9]/);
      await server.stop();
    }
  });

  it('refuses a storage path locked by another running server, with a one-line error', async () => {
    const dir = newDir();
    await start(dir);
    const second = spawnSync(
      process.execPath,
      [MAIN, `--storage.path=${dir}`, '--web.listen-address=127.0.0.1:0'],
      {
        encoding: 'utf8',
        timeout: 15_000,
      },
    );
    expect(second.status).not.toBe(0);
    expect(second.stderr.trim().split('\n').at(-1)).toMatch(/locked by another running server \(pid \d+\)/);
  });

  it('refuses a storage path it cannot create, with a one-line error and no hang', () => {
    const file = join(newDir(), 'a-file');
    writeFileSync(file, '');
    for (const path of [join(file, 'data'), '/proc/motley-cannot-exist']) {
      const run = spawnSync(
        process.execPath,
        [MAIN, `--storage.path=${path}`, '--web.listen-address=127.0.0.1:0'],
        {
          encoding: 'utf8',
          timeout: 15_000,
        },
      );
      expect(run.status, path).toBe(1);
      expect(run.stderr.trim(), path).toMatch(/^motley: error: cannot create --storage.path [^\n]+$/);
    }
  });

  it('drops chunks older than --storage.retention and keeps the rest', async () => {
    const dir = newDir();
    let server = await start(dir, ['--storage.retention=1h']);
    const now = Date.now();
    expect(
      (
        await remoteWrite(server.url, [
          {
            labels: { __name__: 'old_metric' },
            samples: [
              [now - 3 * 3_600_000, 1],
              [now - 2 * 3_600_000, 2],
            ],
          },
          { labels: { __name__: 'new_metric' }, samples: [[now - 60_000, 3]] },
        ])
      ).status,
    ).toBe(204);
    await server.stop();
    server = await start(dir, ['--storage.retention=1h']);
    const got = await exportSeries(server.url);
    expect(got.map((s) => s.metric.__name__)).toEqual(['new_metric']);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/motley_storage_retention_dropped_chunks_total [1-9]/);
  });
});
