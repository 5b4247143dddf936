// tsdb-bench's seven queries, timed over HTTP (shared by query-http.mjs and query-ab.mjs).

/** The queries for a workload whose last sample is at `end` (unix seconds): ranges over the 2 h 50 m before it at 60 s, instants at it. */
export function benchmarkQueries(end) {
  const range = { start: end - 3 * 3600 + 600, end, step: 60 };
  const instant = { time: end };
  return [
    ['cpu-busy-by-instance', 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))', range],
    ['mem-available-ratio', 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', range],
    ['net-rx-top5', 'topk(5, sum by (instance) (rate(node_network_receive_bytes_total[5m])))', range],
    [
      'p90-latency',
      'histogram_quantile(0.9, sum by (le, handler) (rate(http_request_duration_seconds_bucket[5m])))',
      range,
    ],
    ['series-count', 'count({__name__=~"node_.+"})', instant],
    ['load1-max-1h', 'max_over_time(node_load1[1h])', instant],
    [
      'regex-filesystem',
      'node_filesystem_avail_bytes{mountpoint=~"/.*",fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes',
      range,
    ],
  ];
}

/** Runs each query once to warm up, then `runs` times back to back: per query its median and best ms. */
export async function timeQueries(base, runs, end) {
  const out = [];
  for (const [name, query, at] of benchmarkQueries(end)) {
    const params = new URLSearchParams({ query });
    for (const [k, v] of Object.entries(at)) params.set(k, String(v));
    const path = 'time' in at ? '/api/v1/query' : '/api/v1/query_range';
    const times = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}${path}?${params}`);
      const body = await res.json();
      if (body.status !== 'success') throw new Error(`${name}: ${JSON.stringify(body)}`);
      if (i > 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out.push({ name, median: times[Math.floor(times.length / 2)], best: times[0] });
  }
  return out;
}

/** The newest node_load1 sample time, to the second, from VictoriaMetrics-style JSON lines. */
export async function newestLoad1(url) {
  const res = await fetch(`${url}/api/v1/export?${new URLSearchParams({ 'match[]': 'node_load1' })}`);
  let newest = 0;
  for (const line of (await res.text()).split('\n')) {
    if (line.trim() === '') continue;
    for (const t of JSON.parse(line).timestamps) newest = Math.max(newest, t);
  }
  if (newest === 0) throw new Error('no node_load1 samples: is the benchmark data loaded?');
  return Math.floor(newest / 1000);
}
