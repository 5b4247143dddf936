#!/usr/bin/env node
// Sends tsdb-bench's seven queries to a running server over HTTP, back to back, and prints each
// one's median and best time: the benchmark's queries without the benchmark process around them.
//
//   node apps/server/test/promql/bench/query-http.mjs http://127.0.0.1:8428 [runs] [end]
//
// <end> (unix seconds) is the time of the workload's last sample, by default the newest sample of
// node_load1 (read with /api/v1/export). The range queries cover the 2 h 50 m before it at a 60 s
// step, as the benchmark's; the instant queries are at <end>. Each query runs once to warm up.
const [base, runsText = '10', endText] = process.argv.slice(2);
if (!base) {
  console.error('usage: query-http.mjs <base url> [runs] [end, unix seconds]');
  process.exit(2);
}
const end = endText ? Math.floor(Number(endText)) : await newestLoad1(base);
const runs = Number(runsText);
const range = { start: end - 3 * 3600 + 600, end, step: 60 };
const queries = [
  ['cpu-busy-by-instance', 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))', range],
  ['mem-available-ratio', 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', range],
  ['net-rx-top5', 'topk(5, sum by (instance) (rate(node_network_receive_bytes_total[5m])))', range],
  [
    'p90-latency',
    'histogram_quantile(0.9, sum by (le, handler) (rate(http_request_duration_seconds_bucket[5m])))',
    range,
  ],
  ['series-count', 'count({__name__=~"node_.+"})', undefined],
  ['load1-max-1h', 'max_over_time(node_load1[1h])', undefined],
  [
    'regex-filesystem',
    'node_filesystem_avail_bytes{mountpoint=~"/.*",fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes',
    range,
  ],
];

console.log('| query | median ms | best ms |');
console.log('|---|---|---|');
for (const [name, query, r] of queries) {
  const params = new URLSearchParams({ query });
  let path = '/api/v1/query';
  if (r) {
    path = '/api/v1/query_range';
    for (const [k, v] of Object.entries(r)) params.set(k, String(v));
  } else {
    params.set('time', String(end));
  }
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}?${params}`);
    const body = await res.json();
    if (body.status !== 'success') throw new Error(`${name}: ${JSON.stringify(body)}`);
    if (i > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`| ${name} | ${times[Math.floor(times.length / 2)].toFixed(1)} | ${times[0].toFixed(1)} |`);
}

/** The newest node_load1 sample time, to the second, from VictoriaMetrics-style JSON lines. */
async function newestLoad1(url) {
  const res = await fetch(`${url}/api/v1/export?${new URLSearchParams({ 'match[]': 'node_load1' })}`);
  let newest = 0;
  for (const line of (await res.text()).split('\n')) {
    if (line.trim() === '') continue;
    for (const t of JSON.parse(line).timestamps) newest = Math.max(newest, t);
  }
  if (newest === 0) throw new Error('no node_load1 samples: is the benchmark data loaded?');
  return Math.floor(newest / 1000);
}
