import type { Clock } from './clock.js';
import { gauge, type MetricFamily } from './exposition.js';
import type { Logger } from './log.js';

/**
 * A source of metrics for one scrape. A collector that throws, or does not finish within the
 * timeout, costs only its own series: the scrape still returns every other collector's metrics
 * and reports `<ns>_scrape_collector_success{collector} 0`.
 */
export interface Collector {
  readonly name: string;
  /** The signal aborts when the collector runs past its timeout; stop any I/O it still has. */
  collect(signal: AbortSignal): Promise<MetricFamily[]> | MetricFamily[];
}

export interface CollectorOutcome {
  name: string;
  ok: boolean;
  durationSeconds: number;
  error?: string;
  families: MetricFamily[];
}

class TimeoutError extends Error {}

async function runOne(c: Collector, timeoutMs: number, clock: Clock): Promise<CollectorOutcome> {
  const started = clock.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const families = await Promise.race([
      Promise.resolve().then(() => c.collect(controller.signal)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new TimeoutError(`timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
    return { name: c.name, ok: true, durationSeconds: (clock.now() - started) / 1000, families };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return { name: c.name, ok: false, durationSeconds: (clock.now() - started) / 1000, error, families: [] };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every collector concurrently and adds the per-collector success and duration families. */
export async function runCollectors(
  collectors: readonly Collector[],
  opts: { namespace: string; timeoutMs: number; clock: Clock; log?: Logger },
): Promise<{ families: MetricFamily[]; outcomes: CollectorOutcome[] }> {
  const outcomes = await Promise.all(collectors.map((c) => runOne(c, opts.timeoutMs, opts.clock)));
  const families: MetricFamily[] = [];
  for (const o of outcomes) {
    families.push(...o.families);
    if (!o.ok) opts.log?.error('collector failed', { name: o.name, err: o.error });
  }
  if (outcomes.length > 0) {
    families.push(
      gauge(
        `${opts.namespace}_scrape_collector_duration_seconds`,
        `${opts.namespace}_exporter: Duration of a collector scrape.`,
        outcomes.map((o) => ({ labels: { collector: o.name }, value: o.durationSeconds })),
      ),
      gauge(
        `${opts.namespace}_scrape_collector_success`,
        `${opts.namespace}_exporter: Whether a collector succeeded.`,
        outcomes.map((o) => ({ labels: { collector: o.name }, value: o.ok ? 1 : 0 })),
      ),
    );
  }
  return { families, outcomes };
}
