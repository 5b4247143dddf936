#!/usr/bin/env node
// Splits the latency of tsdb-bench's seven queries into storage reads and engine work.
//
//   node ../shared/bench/tsdb-bench.mjs --systems project --keep     # leaves /tmp/bench-project-*/data
//   pnpm --filter @motley/server build
//   node apps/server/test/promql/bench/query-split.mjs /tmp/bench-project-XXXX/data [runs]
//
// Each query runs `runs` times (best time kept). "storage" is the time inside select() and
// samples(); "engine" is evaluation plus JSON encoding of the answer; "engine, cached" re-runs the
// query over samples already read, which is the engine alone.
import { Matcher } from '../../../dist/model/matchers.js';
import { Engine } from '../../../dist/promql/engine.js';
import { SqliteStorage } from '../../../dist/storage/sqlite/sqlite-storage.js';
import { queryDataJson } from '../../../dist/web/api/v1/result-json.js';

const [dir, runsText = '5'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: query-split.mjs <storage dir> [runs]');
  process.exit(2);
}
const runs = Number(runsText);
const storage = new SqliteStorage({
  path: dir,
  retentionMs: 100 * 365 * 86_400_000,
  clock: { now: () => Date.now() },
});
await storage.start();

let storageMs = 0;
const cache = new Map();
const wrap = (useCache) => ({
  querier(mint, maxt) {
    const q = storage.querier(mint, maxt);
    return {
      select(matchers, hints) {
        const key = `${mint} ${maxt} ${matchers.map(String).join(',')}`;
        if (useCache && cache.has(key)) return cache.get(key);
        const t0 = performance.now();
        const series = q.select(matchers, hints).map((s) => ({ labels: s.labels, data: s.samples() }));
        storageMs += performance.now() - t0;
        const out = series.map((s) => ({ labels: s.labels, samples: () => s.data }));
        cache.set(key, out);
        return out;
      },
      labelNames: (m) => q.labelNames(m),
      labelValues: (n, m) => q.labelValues(n, m),
      close: () => q.close(),
    };
  },
});

const engine = new Engine({ timeout: 120_000, maxSamples: 50_000_000, lookbackDelta: 300_000 });
// The newest sample of node_load1, to the second, is the end of the benchmark's workload.
const probe = storage.querier(0, Date.now());
let newest = 0;
for (const s of probe.select([new Matcher('=', '__name__', 'node_load1')])) {
  const { t } = s.samples();
  newest = Math.max(newest, t[t.length - 1]);
}
probe.close();
const end = Math.floor(newest / 1000) * 1000;
const start = end - 3 * 3_600_000 + 600_000;
const queries = [
  ['cpu-busy-by-instance', 'range', 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))'],
  ['mem-available-ratio', 'range', 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes'],
  ['net-rx-top5', 'range', 'topk(5, sum by (instance) (rate(node_network_receive_bytes_total[5m])))'],
  [
    'p90-latency',
    'range',
    'histogram_quantile(0.9, sum by (le, handler) (rate(http_request_duration_seconds_bucket[5m])))',
  ],
  ['series-count', 'instant', 'count({__name__=~"node_.+"})'],
  ['load1-max-1h', 'instant', 'max_over_time(node_load1[1h])'],
  [
    'regex-filesystem',
    'range',
    'node_filesystem_avail_bytes{mountpoint=~"/.*",fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes',
  ],
];
const run = (q, kind, queryable) =>
  queryDataJson(
    kind === 'range'
      ? engine.rangeQuery(queryable, q, start, end, 60_000)
      : engine.instantQuery(queryable, q, end),
  );

console.log('| query | total ms | storage ms | engine ms | engine, cached ms |');
console.log('|---|---|---|---|---|');
for (const [name, kind, q] of queries) {
  let best = { total: Number.POSITIVE_INFINITY, storage: 0, cached: Number.POSITIVE_INFINITY };
  for (let i = 0; i < runs; i++) {
    cache.clear();
    storageMs = 0;
    const t0 = performance.now();
    run(q, kind, wrap(false));
    const total = performance.now() - t0;
    if (total < best.total) best = { ...best, total, storage: storageMs };
    const t1 = performance.now();
    run(q, kind, wrap(true));
    best.cached = Math.min(best.cached, performance.now() - t1);
  }
  const f = (x) => x.toFixed(1);
  console.log(
    `| ${name} | ${f(best.total)} | ${f(best.storage)} | ${f(best.total - best.storage)} | ${f(best.cached)} |`,
  );
}
await storage.stop();
