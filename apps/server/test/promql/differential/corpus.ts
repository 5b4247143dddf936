/**
 * The differential query corpus: every float function, operator and aggregation that Prometheus
 * 2.42 shares with 3.x, plus the shapes the Node Exporter Full dashboard uses. Each query runs as an
 * instant query at several times and as a range query.
 */
const cpu = 'node_cpu_seconds_total';
const mem = 'node_memory_MemAvailable_bytes';
const total = 'node_memory_MemTotal_bytes';
const load = 'node_load1';
const temp = 'node_temperature_celsius';
const rx = 'node_network_receive_bytes_total';
const bucket = 'http_request_duration_seconds_bucket';

const selectors = [
  cpu,
  `${cpu}{mode="idle"}`,
  `${cpu}{mode!="idle"}`,
  `${cpu}{mode=~"user|system"}`,
  `${cpu}{mode!~"i.*"}`,
  `{__name__=~"node_memory_.+"}`,
  `${load}`,
  `${load} offset 5m`,
  `${load} offset -2m`,
  `${mem} @ 1700001800`,
  `${temp}`,
  'nonexistent_metric',
];

const rangeFunctions = ['rate', 'increase', 'irate', 'resets', 'changes', 'delta', 'idelta', 'deriv'];
const overTime = [
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'present_over_time',
];
const elementwise = [
  'abs',
  'ceil',
  'floor',
  'sqrt',
  'ln',
  'log2',
  'log10',
  'sgn',
  'exp',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'deg',
  'rad',
];
const aggregations = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'];
// atan2 is left to the scripts: 3.x drops the metric name on it, 2.42 keeps it.
const arithmetic = ['+', '-', '*', '/', '%', '^'];
const comparisons = ['==', '!=', '>', '<', '>=', '<='];

export function buildCorpus(): string[] {
  const q: string[] = [...selectors];
  // Staleness: a target that disappears twice.
  q.push(
    'flapping_up',
    'count(flapping_up)',
    'count_over_time(flapping_up[10m])',
    'absent(flapping_up{instance="host-a:9100"})',
    'last_over_time(flapping_up[30m])',
    'max_over_time(flapping_up[5m:1m])',
    'timestamp(flapping_up)',
    'changes(flapping_up[20m])',
  );
  for (const f of rangeFunctions) {
    for (const r of ['1m', '5m', '17m']) q.push(`${f}(${cpu}[${r}])`);
    q.push(`${f}(${load}[5m])`, `${f}(${rx}[2m] offset 3m)`);
  }
  for (const f of overTime) {
    q.push(
      `${f}(${load}[5m])`,
      `${f}(${temp}[10m])`,
      `${f}(${mem}[3m] @ 1700002000)`,
      `${f}(${load}[7m] offset 10m)`,
    );
  }
  for (const f of rangeFunctions) q.push(`${f}(${cpu}{cpu="1"}[4m] @ 1700002000)`);
  q.push(
    `quantile_over_time(0.3, ${load}[10m])`,
    `quantile_over_time(0.95, ${temp}[30m])`,
    `predict_linear(${mem}[10m], 3600)`,
    `predict_linear(${load}[5m], 60)`,
    `double_exponential_smoothing(${mem}[10m], 0.3, 0.6)`,
    'absent_over_time(nonexistent_metric[5m])',
    `absent_over_time(${load}[5m])`,
  );
  for (const f of elementwise) q.push(`${f}(${temp} / 40)`);
  q.push(
    `round(${temp})`,
    `round(${temp}, 5)`,
    `round(${temp}, 0.3)`,
    `clamp(${temp}, 0, 30)`,
    `clamp(${temp}, 30, 0)`,
    `clamp_min(${temp}, 10)`,
    `clamp_max(${temp}, 10)`,
    `exp(${mem})`,
    `${temp} * 1e-9`,
    `${mem} * 1e12`,
    `${temp} * 0 - 0`,
    `ln(-${temp})`,
  );
  q.push(
    'time()',
    `timestamp(${load})`,
    `timestamp(${load} offset 1m)`,
    `timestamp(rate(${cpu}[5m]))`,
    'vector(time())',
    `day_of_month()`,
    `day_of_week()`,
    `day_of_year()`,
    `days_in_month()`,
    `hour()`,
    `minute()`,
    `month()`,
    `year()`,
    `hour(${load} * 1e9)`,
    `minute(timestamp(${load}))`,
    'pi()',
    `scalar(${total}{instance="host-a:9100"})`,
    `scalar(${total})`,
    `vector(1)`,
    `absent(nonexistent_metric{job="x", instance="y"})`,
    `absent(${load})`,
    `sort(${load})`,
    `sort_desc(${load})`,
  );
  for (const a of aggregations) {
    q.push(`${a} by (device) (rate(${rx}[5m]))`);
    q.push(
      `${a}(${cpu})`,
      `${a} by (instance) (rate(${cpu}[5m]))`,
      `${a} without (cpu) (${cpu})`,
      `${a} by (job, mode) (${cpu})`,
    );
  }
  q.push(
    `topk(3, ${load})`,
    `bottomk(2, rate(${cpu}[5m]))`,
    `topk by (instance) (2, rate(${cpu}[5m]))`,
    `bottomk without (cpu) (1, ${cpu})`,
    `topk(scalar(count(${load})), ${load})`,
    `quantile(0.5, ${load})`,
    `quantile by (mode) (0.9, rate(${cpu}[5m]))`,
    `quantile(1.5, ${load})`,
    `quantile(-1, ${load})`,
    `count_values("value", round(${load}))`,
    `count_values by (job) ("v", ${total})`,
    `sum(${cpu}) by (mode)`,
    `avg without (instance, job) (${temp})`,
    `count(count by (cpu, instance) (${cpu}))`,
    `sum by () (${load})`,
  );
  for (const op of arithmetic) {
    q.push(`${mem} ${op} ${total}`, `${load} ${op} 2`, `3 ${op} ${temp}`, `2 ${op} 3`);
    q.push(`${temp} ${op} on(instance) group_left ${load}`);
  }
  for (const op of comparisons) {
    q.push(`${temp} ${op} bool ignoring(sensor) ${load} * 10`);
    q.push(
      `${load} ${op} 2`,
      `2 ${op} ${load}`,
      `${load} ${op} bool 2`,
      `1 ${op} bool 2`,
      `${mem} ${op} on(instance, job) ${total} / 2`,
    );
  }
  q.push(
    `${mem} / on(instance) ${total}`,
    `${mem} / ignoring(job) ${total}`,
    `rate(${cpu}[5m]) / on(instance, job) group_left ${total}`,
    `rate(${cpu}[5m]) * on(instance) group_left(job) (${total} / 1e9)`,
    `${total} * on(instance) group_right rate(${cpu}[5m])`,
    `sum by (instance) (rate(${cpu}[5m])) / on(instance) group_left count by (instance) (${cpu}{mode="idle"})`,
    `${load} and ${temp}`,
    `${load} and on(instance) ${temp}`,
    `${load} or ${temp}`,
    `${load} > 2 or ${temp}`,
    `${load} unless ${load} > 2`,
    `${load} unless on(job) ${temp} > 100`,
    `${cpu} and on(mode) ${cpu}{mode="user", cpu="0", instance="host-a:9100"}`,
    `-${load}`,
    `-(${load} + 1)`,
    `+${load}`,
    `-2 ^ 2`,
    `-${load} ^ 2`,
    `2 ^ -1`,
    `1 - -1`,
    `${load} ^ 2 ^ 0.5`,
    `(${load} + 1) * 2 - 1 / 2`,
    `${mem} + ${total}`,
    `${cpu} / ignoring(mode) group_left sum without (mode) (${cpu})`,
  );
  q.push(
    `label_replace(${load}, "host", "$1", "instance", "(.*):.*")`,
    `label_replace(${load}, "instance", "", "instance", ".*")`,
    `label_replace(${load}, "x", "$2-$1", "instance", "host-(.)(.*)")`,
    `label_replace(${load}, "x", "y", "nolabel", "(.*)")`,
    `label_join(${load}, "both", "/", "job", "instance")`,
    `label_join(${load}, "job", "", "instance")`,
  );
  q.push(
    `histogram_quantile(0.9, sum by (le, handler) (rate(${bucket}[5m])))`,
    `histogram_quantile(0.5, rate(${bucket}[5m]))`,
    `histogram_quantile(0.99, sum by (le) (rate(${bucket}[10m])))`,
    `histogram_quantile(0, sum by (le) (rate(${bucket}[10m])))`,
    `histogram_quantile(1, sum by (le) (rate(${bucket}[10m])))`,
    `histogram_quantile(1.5, sum by (le) (rate(${bucket}[10m])))`,
    `histogram_quantile(0.5, ${bucket}{le!="0.25"})`,
  );
  q.push(
    `max_over_time(rate(${cpu}[1m])[10m:1m])`,
    `avg_over_time(${load}[10m:30s])`,
    `rate(${cpu}[5m:1m])`,
    `min_over_time(sum by (instance) (rate(${cpu}[2m]))[15m:2m] offset 1m)`,
    `max_over_time(${load}[5m:] @ 1700002400)`,
    `sum_over_time(deriv(${mem}[5m])[20m:1m])`,
    `count_over_time((${load} > 2)[30m:15s])`,
  );
  // Node Exporter Full dashboard shapes.
  const ri = '1m';
  q.push(
    `sum by (instance) (irate(${cpu}{mode!="idle"}[${ri}])) / on(instance) group_left sum by (instance) (irate(${cpu}[${ri}]))`,
    `100 - (avg by (instance) (rate(${cpu}{mode="idle"}[${ri}])) * 100)`,
    `(1 - (${mem} / ${total})) * 100`,
    `100 - ((node_filesystem_avail_bytes{mountpoint="/",fstype!="rootfs"} * 100) / node_filesystem_size_bytes{mountpoint="/",fstype!="rootfs"})`,
    `node_filesystem_avail_bytes{mountpoint=~"/.*",fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes`,
    `sum by (instance) (rate(${rx}{device!="lo"}[${ri}])) * 8`,
    `count(count(${cpu}) by (cpu, instance)) by (instance)`,
    `${load} / on(instance) count by (instance) (${cpu}{mode="idle"})`,
    `${load} > bool on(instance) group_left count by (instance) (${cpu}{mode="idle"})`,
    `sum(rate(${cpu}[5m])) by (mode) * 100 / on() group_left scalar(count(${cpu}{mode="idle"}))`,
    `topk(5, sum by (instance) (rate(${rx}[5m])))`,
    `count({__name__=~"node_.+"})`,
  );
  // Errors must match too: the errorType of parse and execution failures.
  q.push(
    `rate(${load})`,
    `sum(${load}`,
    `${load} + on(job) ${temp}`,
    `${cpu} / on(instance) group_left ${cpu}`,
    `label_replace(${cpu}, "cpu", "x", "cpu", ".*")`,
    `topk(2, ${load}) > bool`,
    `${load}{job="node"`,
    `${load}{job=}`,
    `${load}{job~"node"}`,
    'holt_winters_typo(1)',
    `sum by (job (${load})`,
    `${load}[5m`,
    `1 +* ${load}`,
    `${load} offset`,
    `${load} ${temp}`,
    `sum(${load}, ${temp})`,
    '"unterminated',
  );
  return q;
}
