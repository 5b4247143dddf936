import type { Clock, Logger } from '@motley/exporter-kit';
import type { ScrapeConfig, TargetGroup } from '../config/types.js';
import { JobDiscovery } from '../discovery/job-discovery.js';
import { type Labels, labelsKey } from '../model/labels.js';
import type { Appendable } from '../storage/interface.js';
import { ScrapeHttpClient } from './http-client.js';
import { ScrapeLoop } from './scrape-loop.js';
import type { ScrapeMetrics } from './scrape-metrics.js';
import {
  discoveredLabels,
  populateTargetLabels,
  publicLabels,
  scrapeUrl,
  targetTiming,
} from './target-labels.js';

export interface ActiveTarget {
  readonly scrapePool: string;
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly url: string;
  readonly interval: number;
  readonly timeout: number;
  readonly loop: ScrapeLoop;
}

export interface PoolDeps {
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics?: ScrapeMetrics;
}

/**
 * One scrape job: its discovery, its HTTP client and one loop per active target. Targets that
 * stay across a discovery update keep their loop; vanished ones stop with staleness markers.
 */
export class ScrapePool {
  private readonly client: ScrapeHttpClient;
  private readonly discovery: JobDiscovery;
  private active = new Map<string, ActiveTarget>();
  private dropped: Labels[] = [];
  private stopped = false;

  constructor(
    readonly config: ScrapeConfig,
    private readonly deps: PoolDeps,
    /** The pool this one replaces on reload: its loops hand their caches over, target by target. */
    private predecessor?: ScrapePool,
  ) {
    this.client = new ScrapeHttpClient(
      config.http,
      config.scheme,
      config.bodySizeLimit,
      config.scrapeTimeout,
    );
    this.discovery = new JobDiscovery(config, deps.log, (groups) => this.sync(groups));
  }

  start(): void {
    this.discovery.start();
    // Targets of the old pool that the new configuration no longer has: they are gone.
    const old = this.predecessor;
    this.predecessor = undefined;
    if (old) void old.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.discovery.stop();
    const loops = [...this.active.values()].map((t) => t.loop.stop(true));
    this.active.clear();
    await Promise.all(loops);
    this.client.close();
  }

  activeTargets(): ActiveTarget[] {
    return [...this.active.values()];
  }

  droppedTargets(): Labels[] {
    return this.dropped;
  }

  /** Takes a target's loop out of this pool for a successor, without staleness markers. */
  private handOver(key: string) {
    const t = this.active.get(key);
    if (!t) return undefined;
    this.active.delete(key);
    return t.loop.handOver();
  }

  /** Applies a new complete list of target groups. */
  sync(groups: TargetGroup[]): void {
    if (this.stopped) return;
    const { config, deps } = this;
    const next = new Map<string, ActiveTarget>();
    const dropped: Labels[] = [];
    for (const group of groups) {
      for (const discovered of discoveredLabels(group)) {
        const result = populateTargetLabels(discovered, config);
        if (result.kind === 'dropped') {
          dropped.push(result.discoveredLabels);
          continue;
        }
        if (result.kind === 'error') {
          deps.log.warn('scrape: target dropped', {
            job: config.jobName,
            source: group.source,
            err: result.error,
          });
          continue;
        }
        const timing = targetTiming(result.labels, config);
        if (typeof timing === 'string') {
          deps.log.warn('scrape: target dropped', { job: config.jobName, source: group.source, err: timing });
          continue;
        }
        const url = scrapeUrl(result.labels, config);
        const key = `${labelsKey(result.labels)}${url}`;
        if (next.has(key)) continue;
        const existing = this.active.get(key);
        if (existing) {
          next.set(key, existing);
          continue;
        }
        const labels = publicLabels(result.labels);
        const loop = new ScrapeLoop({
          key,
          url,
          interval: timing.interval,
          timeout: timing.timeout,
          rules: {
            targetLabels: labels,
            honorLabels: config.honorLabels,
            honorTimestamps: config.honorTimestamps,
            metricRelabelConfigs: config.metricRelabelConfigs,
            sampleLimit: config.sampleLimit,
            labelLimit: config.labelLimit,
            labelNameLengthLimit: config.labelNameLengthLimit,
            labelValueLengthLimit: config.labelValueLengthLimit,
          },
          fetch: (timeout) => this.client.fetch(url, timeout),
          appendable: deps.appendable,
          clock: deps.clock,
          log: deps.log,
          metrics: deps.metrics,
          inherit: this.predecessor?.handOver(key),
        });
        next.set(key, {
          scrapePool: config.jobName,
          labels,
          discoveredLabels: result.discoveredLabels,
          url,
          ...timing,
          loop,
        });
        loop.start();
      }
    }
    for (const [key, t] of this.active) if (!next.has(key)) void t.loop.stop(true);
    this.active = next;
    this.dropped = dropped;
    const limit = config.targetLimit;
    const overLimit =
      limit > 0 && next.size > limit
        ? `target_limit exceeded (number of targets: ${next.size}, limit: ${limit})`
        : undefined;
    for (const t of next.values()) t.loop.forcedError = overLimit;
  }
}
