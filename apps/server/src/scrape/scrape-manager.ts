import type { Clock, Logger } from '@motley/exporter-kit';
import type { Registry } from 'prom-client';
import type { Config } from '../config/types.js';
import type { Labels } from '../model/labels.js';
import type { Appendable } from '../storage/interface.js';
import { plainSampleRules } from './append-samples.js';
import { type Fetcher, ScrapeLoop } from './scrape-loop.js';
import { ScrapeMetrics } from './scrape-metrics.js';
import { type ActiveTarget, type PoolDeps, ScrapePool } from './scrape-pool.js';
import type { MetricMetadata } from './target-metadata.js';

export interface SelfScrape {
  /** Milliseconds between scrapes of the server's own metrics; 0 = off. */
  interval: number;
  fetch: Fetcher;
}

export interface ScrapeManagerDeps {
  appendable: Appendable;
  clock: Clock;
  log: Logger;
  selfScrape?: SelfScrape;
  /** Where the scrape engine's own metrics go; none without. */
  registry?: Registry;
}

export interface DroppedTarget {
  readonly scrapePool: string;
  readonly discoveredLabels: Labels;
}

/**
 * All scrape pools of a configuration. applyConfig() keeps jobs whose configuration did not
 * change untouched (their loops keep running), rebuilds changed jobs with each surviving
 * target's cache handed over, and stops removed jobs with staleness markers.
 */
export class ScrapeManager {
  private pools = new Map<string, ScrapePool>();
  private selfLoop: ScrapeLoop | undefined;
  private readonly poolDeps: PoolDeps;

  constructor(private readonly deps: ScrapeManagerDeps) {
    const metrics = new ScrapeMetrics(deps.registry, () => {
      const counts = new Map<string, number>();
      for (const [name, pool] of this.pools) counts.set(name, pool.activeTargets().length);
      return counts;
    });
    this.poolDeps = { appendable: deps.appendable, clock: deps.clock, log: deps.log, metrics };
  }

  applyConfig(config: Config): void {
    const next = new Map<string, ScrapePool>();
    const starting: ScrapePool[] = [];
    for (const sc of config.scrapeConfigs) {
      const old = this.pools.get(sc.jobName);
      if (old && old.config.fingerprint === sc.fingerprint) {
        next.set(sc.jobName, old);
        continue;
      }
      const pool = new ScrapePool(sc, this.poolDeps, old);
      next.set(sc.jobName, pool);
      starting.push(pool);
    }
    for (const [job, pool] of this.pools) if (!next.has(job)) void pool.stop();
    this.pools = next;
    for (const pool of starting) pool.start();
    this.deps.log.info('scrape configuration applied', {
      source: config.source,
      jobs: config.scrapeConfigs.length,
    });
  }

  start(): void {
    const self = this.deps.selfScrape;
    if (self && self.interval > 0 && !this.selfLoop) {
      this.selfLoop = new ScrapeLoop({
        key: 'self',
        url: 'self',
        interval: self.interval,
        timeout: Math.min(self.interval, 10_000),
        rules: plainSampleRules([
          { name: 'instance', value: 'self' },
          { name: 'job', value: 'motley' },
        ]),
        fetch: self.fetch,
        appendable: this.deps.appendable,
        clock: this.deps.clock,
        log: this.deps.log,
      });
      this.selfLoop.start();
    }
  }

  async stop(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all([...pools.map((p) => p.stop()), this.selfLoop?.stop(true)]);
    this.selfLoop = undefined;
  }

  activeTargets(): ActiveTarget[] {
    return [...this.pools.values()].flatMap((p) => p.activeTargets());
  }

  droppedTargets(): DroppedTarget[] {
    return [...this.pools.values()].flatMap((p) =>
      p.droppedTargets().map((discoveredLabels) => ({ scrapePool: p.config.jobName, discoveredLabels })),
    );
  }

  /** Metadata per metric name over every active target, deduplicated as Prometheus' API does. */
  metadata(): Map<string, MetricMetadata[]> {
    const out = new Map<string, MetricMetadata[]>();
    const loops = this.activeTargets().map((t) => t.loop);
    if (this.selfLoop) loops.push(this.selfLoop);
    for (const loop of loops) {
      for (const [name, m] of loop.metadata.byName) {
        const list = out.get(name) ?? [];
        if (!list.some((x) => x.type === m.type && x.help === m.help && x.unit === m.unit))
          list.push({ ...m });
        out.set(name, list);
      }
    }
    return out;
  }
}
