import type { Registry } from 'prom-client';
import type { Clock } from './clock.js';
import { type Collector, type CollectorOutcome, runCollectors } from './collector.js';
import type { MetricFamily, MetricType } from './exposition.js';
import { renderFamilies } from './exposition.js';
import type { Logger } from './log.js';

export class UnknownCollectorError extends Error {}

/** prom-client's metrics as plain families, so everything renders (and sorts, and merges) in one place. */
async function registryFamilies(registry: Registry): Promise<MetricFamily[]> {
  const json = await registry.getMetricsAsJSON();
  return json.map((m) => ({
    name: m.name,
    help: m.help,
    type: String(m.type) as MetricType,
    samples: m.values.map((v) => ({
      name: (v as { metricName?: string }).metricName,
      labels: Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)])),
      value: v.value,
    })),
  }));
}

/** One scrape: run the (optionally filtered) collectors, add the registry, render text 0.0.4. */
export async function scrape(opts: {
  collectors: readonly Collector[];
  /** Undefined when the exporter never created its prom-client registry. */
  registry: Registry | undefined;
  namespace: string;
  timeoutMs: number;
  clock: Clock;
  log?: Logger;
  /** `collect[]` URL parameters: only these collectors. */
  only?: string[];
  /** Families added to every scrape outside any collector (process_* metrics). */
  extraFamilies?: () => MetricFamily[];
}): Promise<{ text: string; outcomes: CollectorOutcome[] }> {
  let collectors = opts.collectors;
  if (opts.only && opts.only.length > 0) {
    const known = new Set(collectors.map((c) => c.name));
    const unknown = opts.only.filter((n) => !known.has(n));
    if (unknown.length) throw new UnknownCollectorError(`unknown collector: ${unknown.join(', ')}`);
    collectors = collectors.filter((c) => opts.only!.includes(c.name));
  }
  const [{ families, outcomes }, fromRegistry] = await Promise.all([
    runCollectors(collectors, {
      namespace: opts.namespace,
      timeoutMs: opts.timeoutMs,
      clock: opts.clock,
      log: opts.log,
    }),
    opts.registry ? registryFamilies(opts.registry) : [],
  ]);
  const extra = opts.extraFamilies?.() ?? [];
  return { text: renderFamilies([...families, ...fromRegistry, ...extra]), outcomes };
}
