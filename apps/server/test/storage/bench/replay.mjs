// Shared by ingest-ab.mjs and ../../promql/bench/query-ab.mjs: recorded remote write requests
// (see record-writes.mjs) replayed to a fresh server of a given build.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The request bodies of a file written by record-writes.mjs (each a 4-byte length, then the body). */
export function readRecordedRequests(file) {
  const requests = [];
  const recorded = readFileSync(file);
  for (let at = 0; at < recorded.length; ) {
    const length = recorded.readUInt32LE(at);
    requests.push(recorded.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return requests;
}

/**
 * Starts the server of build `dist` on a fresh directory and a random port; stop() removes both.
 * It scrapes nothing (the default configuration would scrape an exporter on 127.0.0.1:9100, whose
 * node_load1 would then pass for the workload's newest sample).
 */
export async function startServer(dist) {
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'scrape_configs: []\n');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(
    process.execPath,
    [
      join(dist, 'main.js'),
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await ready(`${base}/api/v1/query?query=1`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { base, pid: server.pid, stop };
}

/** Sends the requests to /api/v1/write, two in flight as the shared benchmark does; returns failures. */
export async function replay(base, requests) {
  let next = 0;
  let failed = 0;
  const send = async () => {
    while (next < requests.length) {
      const res = await fetch(`${base}/api/v1/write`, {
        method: 'POST',
        body: requests[next++],
        headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' },
      });
      if (res.status >= 300) failed++;
      await res.arrayBuffer();
    }
  };
  await Promise.all([send(), send()]);
  return failed;
}

/** The server's peak RSS so far (VmHWM), in MiB. */
export function peakRssMiB(pid) {
  return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1]) / 1024;
}

async function ready(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready: ${url}`);
}
