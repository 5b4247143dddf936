#!/usr/bin/env node
// Ranks builds by query latency and the memory queries leave behind: replays recorded remote
// write requests (see ../../storage/bench/record-writes.mjs) to a fresh server of each build in
// turn, then sends the shared benchmark's seven queries, each RUNS times back to back after a
// warm-up, and prints per query the median and the fastest time, and the server's peak RSS
// (VmHWM) after them. The builds alternate; this machine's speed moves from run to run, so
// compare them round by round.
//
//   node apps/server/test/promql/bench/query-ab.mjs REQUESTS.bin [--runs 20] [--rounds 2] DIST [DIST...]
//
// DIST is a build's apps/server/dist directory, e.g. that of a `git worktree` of another commit.
import { resolve } from 'node:path';
import { peakRssMiB, readRecordedRequests, replay, startServer } from '../../storage/bench/replay.mjs';
import { newestLoad1, timeQueries } from './benchmark-queries.mjs';

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
const requests = readRecordedRequests(file);

for (let round = 1; round <= rounds; round++) {
  for (const dist of dists) console.log(`round ${round} ${dist}: ${await queryOnce(resolve(dist))}`);
}

async function queryOnce(dist) {
  const server = await startServer(dist);
  try {
    const failed = await replay(server.base, requests);
    if (failed > 0) throw new Error(`${failed} remote write requests failed`);
    const times = await timeQueries(server.base, runs, await newestLoad1(server.base));
    const cells = times.map((q) => `${q.name} ${q.median.toFixed(1)} (${q.best.toFixed(1)})`);
    return `${cells.join(', ')} ms median (fastest); peak RSS ${peakRssMiB(server.pid).toFixed(0)} MiB`;
  } finally {
    await server.stop();
  }
}
