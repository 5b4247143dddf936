#!/usr/bin/env node
// Ranks builds by ingest rate: replays recorded remote write requests (see record-writes.mjs) to a
// fresh server of each build in turn, two requests in flight as the shared benchmark sends them,
// and prints per run the rate, the peak RSS and each server thread's CPU time and run-queue wait
// (from /proc/PID/task/*/schedstat). This machine's speed moves a lot from run to run: the builds
// alternate, so compare them run by run.
//
//   node apps/server/test/storage/bench/ingest-ab.mjs REQUESTS.bin [--runs 3] DIST [DIST...]
//
// DIST is a build's apps/server/dist directory, e.g. that of a `git worktree` of another commit.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const [file, ...dists] = args;
if (!file || dists.length === 0) {
  console.error('usage: ingest-ab.mjs REQUESTS.bin [--runs N] DIST [DIST...]');
  process.exit(2);
}

const requests = [];
const recorded = readFileSync(file);
for (let at = 0; at < recorded.length; ) {
  const length = recorded.readUInt32LE(at);
  requests.push(recorded.subarray(at + 4, at + 4 + length));
  at += 4 + length;
}
const samples = await countSamples(requests);
console.log(`${requests.length} requests, ${samples} samples`);

for (let run = 1; run <= runs; run++) {
  for (const dist of dists) console.log(`run ${run} ${dist}: ${await ingestOnce(resolve(dist))}`);
}

async function ingestOnce(dist) {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-ab-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(
    process.execPath,
    [join(dist, 'main.js'), `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await ready(`${base}/api/v1/query?query=1`);
    const before = schedstat(server.pid);
    let next = 0;
    let failed = 0;
    const t0 = performance.now();
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
    const seconds = (performance.now() - t0) / 1000;
    const threads = schedstatDelta(before, schedstat(server.pid));
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const peak = Number(status.match(/VmHWM:\s+(\d+)/)[1]) / 1024;
    return `${(samples / seconds / 1e6).toFixed(3)}M samples/s, ${seconds.toFixed(2)} s, peak RSS ${peak.toFixed(0)} MiB, ${failed} failed; threads (ms run+wait): ${threads}`;
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

/** Per thread: nanoseconds on a CPU and waiting for one. */
function schedstat(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      out.set(tid, { run, wait });
    } catch {}
  }
  return out;
}

function schedstatDelta(before, after) {
  return [...after]
    .map(([tid, a]) => ({
      run: (a.run - (before.get(tid)?.run ?? 0)) / 1e6,
      wait: (a.wait - (before.get(tid)?.wait ?? 0)) / 1e6,
    }))
    .filter((d) => d.run >= 20)
    .sort((x, y) => y.run - x.run)
    .map((d) => `${d.run.toFixed(0)}+${d.wait.toFixed(0)}`)
    .join(' ');
}

/** Samples in the requests, counted by the server's own decoders (from the built tree). */
async function countSamples(bodies) {
  const remote = join(import.meta.dirname, '../../../dist/remote');
  const { decodeSnappy } = await import(join(remote, 'snappy.js'));
  const { decodeWriteRequest } = await import(join(remote, 'write-request.js'));
  let total = 0;
  for (const body of bodies) total += decodeWriteRequest(decodeSnappy(body, 1 << 30)).sampleCount;
  return total;
}
