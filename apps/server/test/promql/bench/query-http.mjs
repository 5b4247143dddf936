#!/usr/bin/env node
// Sends tsdb-bench's seven queries to a running server over HTTP, back to back, and prints each
// one's median and best time: the benchmark's queries without the benchmark process around them.
//
//   node apps/server/test/promql/bench/query-http.mjs http://127.0.0.1:8428 [runs] [end]
//
// <end> (unix seconds) is the time of the workload's last sample, by default the newest sample of
// node_load1 (read with /api/v1/export). The range queries cover the 2 h 50 m before it at a 60 s
// step, as the benchmark's; the instant queries are at <end>. Each query runs once to warm up.
import { newestLoad1, timeQueries } from './benchmark-queries.mjs';

const [base, runsText = '10', endText] = process.argv.slice(2);
if (!base) {
  console.error('usage: query-http.mjs <base url> [runs] [end, unix seconds]');
  process.exit(2);
}
const end = endText ? Math.floor(Number(endText)) : await newestLoad1(base);
console.log('| query | median ms | best ms |');
console.log('|---|---|---|');
for (const { name, median, best } of await timeQueries(base, Number(runsText), end)) {
  console.log(`| ${name} | ${median.toFixed(1)} | ${best.toFixed(1)} |`);
}
