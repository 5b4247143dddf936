import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The scrape engine's own metrics, on the server's registry (none without one, as in tests).
 * Lateness and skipped slots make an overloaded or stalled server visible before data goes missing.
 */
export class ScrapeMetrics {
  readonly scrapes: Counter<'outcome'>;
  readonly skippedSlots: Counter;
  readonly lateness: Histogram;

  constructor(registry: Registry | undefined, poolTargets: () => Map<string, number>) {
    const registers = registry ? [registry] : [];
    this.scrapes = new Counter({
      name: 'motley_target_scrapes_total',
      help: 'Scrapes by outcome: up (stored) or down (failed, only the synthetic series stored).',
      labelNames: ['outcome'],
      registers,
    });
    this.skippedSlots = new Counter({
      name: 'motley_target_scrape_slots_skipped_total',
      help: 'Scrape slots skipped because the previous scrape of the target ended after them.',
      registers,
    });
    this.lateness = new Histogram({
      name: 'motley_target_scrape_lateness_seconds',
      help: 'How long after its slot a scrape started (event loop busy or stalled).',
      buckets: [0.005, 0.05, 0.5, 1, 5, 15],
      registers,
    });
    new Gauge({
      name: 'motley_target_scrape_pool_targets',
      help: 'Active targets per scrape pool.',
      labelNames: ['scrape_pool'],
      registers,
      collect() {
        this.reset();
        for (const [pool, n] of poolTargets()) this.set({ scrape_pool: pool }, n);
      },
    });
  }
}
