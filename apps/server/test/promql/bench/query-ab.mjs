#!/usr/bin/env node
// Ranks builds by query latency and the memory queries leave behind: replays recorded remote
// write requests (see ../../storage/bench/record-writes.mjs) to a fresh server of each build in
// turn, then sends the shared benchmark's seven queries, each RUNS times back to back, and prints
// per query the median and the fastest time, and the server's peak RSS (VmHWM) after them. The
// builds alternate; this machine's speed moves from run to run, so compare them run by run.
//
//   node apps/server/test/promql/bench/query-ab.mjs REQUESTS.bin [--runs 20] [--rounds 2] DIST [DIST...]
//
// DIST is a build's apps/server/dist directory, e.g. that of a `git worktree` of another commit.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const runs = option('--runs', 20);
const rounds = option('--rounds', 2);
const [file, ...dists] = args;
if (!file || dists.length === 0) {
  console.error('usage: query-ab.mjs REQUESTS.bin [--runs 20] [--rounds 2] DIST [DIST...]');
  process.exit(2);
}

const requests = [];
const recorded = readFileSync(file);
for (let at = 0; at < recorded.length; ) {
  const length = recorded.readUInt32LE(at);
  requests.push(recorded.subarray(at + 4, at + 4 + length));
  at += 4 + length;
}

/** The shared benchmark's queries: ranges over the last 3 h (less 10 min) at 60 s, instants at the end. */
function queries(endS) {
  const range = { start: endS - 3 * 3600 + 600, end: endS, step: 60 };
  return [
    ['cpu-busy-by-instance', 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))', range],
    ['mem-available-ratio', 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', range],
    ['net-rx-top5', 'topk(5, sum by (instance) (rate(node_network_receive_bytes_total[5m])))', range],
    [
      'p90-latency',
      'histogram_quantile(0.9, sum by (le, handler) (rate(http_request_duration_seconds_bucket[5m])))',
      range,
    ],
    ['series-count', 'count({__name__=~"node_.+"})', { time: endS }],
    ['load1-max-1h', 'max_over_time(node_load1[1h])', { time: endS }],
    [
      'regex-filesystem',
      'node_filesystem_avail_bytes{mountpoint=~"/.*",fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes',
      range,
    ],
  ];
}

for (let round = 1; round <= rounds; round++) {
  for (const dist of dists) console.log(`round ${round} ${dist}: ${await queryOnce(resolve(dist))}`);
}

async function queryOnce(dist) {
  const dir = mkdtempSync(join(tmpdir(), 'query-ab-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(
    process.execPath,
    [join(dist, 'main.js'), `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await ready(`${base}/api/v1/query?query=1`);
    let next = 0;
    const send = async () => {
      while (next < requests.length) {
        const res = await fetch(`${base}/api/v1/write`, {
          method: 'POST',
          body: requests[next++],
          headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' },
        });
        await res.arrayBuffer();
        if (res.status >= 300) throw new Error(`remote write answered ${res.status}`);
      }
    };
    await Promise.all([send(), send()]);
    // The workload's last timestamp, as the benchmark derives its query times from it.
    const exported = await (await fetch(`${base}/api/v1/export?match[]=node_load1`)).text();
    const lastMs = Math.max(
      ...exported
        .trim()
        .split('\n')
        .map((l) => Math.max(...JSON.parse(l).timestamps)),
    );
    const endS = Math.floor(lastMs / 1000);
    const out = [];
    for (const [name, query, at] of queries(endS)) {
      const params = new URLSearchParams({ query });
      for (const [k, v] of Object.entries(at)) params.set(k, String(v));
      const path = 'time' in at ? 'query' : 'query_range';
      const times = [];
      for (let i = 0; i <= runs; i++) {
        const t0 = performance.now();
        const res = await fetch(`${base}/api/v1/${path}?${params}`);
        await res.text();
        if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
        if (i > 0) times.push(performance.now() - t0); // the first is a warm-up
      }
      times.sort((a, b) => a - b);
      out.push(`${name} ${times[Math.floor(times.length / 2)].toFixed(1)} (${times[0].toFixed(1)})`);
    }
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const peak = Number(status.match(/VmHWM:\s+(\d+)/)[1]) / 1024;
    return `${out.join(', ')} ms median (fastest); peak RSS ${peak.toFixed(0)} MiB`;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
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
