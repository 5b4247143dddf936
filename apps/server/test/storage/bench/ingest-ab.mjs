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
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { peakRssMiB, readRecordedRequests, replay, startServer } from './replay.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const [file, ...dists] = args;
if (!file || dists.length === 0) {
  console.error('usage: ingest-ab.mjs REQUESTS.bin [--runs N] DIST [DIST...]');
  process.exit(2);
}

const requests = readRecordedRequests(file);
const samples = await countSamples(requests);
console.log(`${requests.length} requests, ${samples} samples`);

for (let run = 1; run <= runs; run++) {
  for (const dist of dists) console.log(`run ${run} ${dist}: ${await ingestOnce(resolve(dist))}`);
}

async function ingestOnce(dist) {
  const server = await startServer(dist);
  try {
    const before = schedstat(server.pid);
    const t0 = performance.now();
    const failed = await replay(server.base, requests);
    const seconds = (performance.now() - t0) / 1000;
    const threads = schedstatDelta(before, schedstat(server.pid));
    const peak = peakRssMiB(server.pid);
    return `${(samples / seconds / 1e6).toFixed(3)}M samples/s, ${seconds.toFixed(2)} s, peak RSS ${peak.toFixed(0)} MiB, ${failed} failed; threads (ms run+wait): ${threads}`;
  } finally {
    await server.stop();
  }
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
