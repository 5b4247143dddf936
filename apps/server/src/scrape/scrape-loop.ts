import type { Clock, Logger } from '@motley/exporter-kit';
import { fnv1a32 } from '../model/hash.js';
import { type Label, type Labels, METRIC_NAME, sortLabels } from '../model/labels.js';
import { STALE_NAN } from '../model/stale-nan.js';
import { formatForContentType } from '../model/textparse/parser.js';
import type { Appendable, Appender, SeriesRef } from '../storage/interface.js';
import { appendExposition, type SampleRules } from './append-samples.js';
import type { ScrapeBody } from './http-client.js';
import type { ScrapeMetrics } from './scrape-metrics.js';
import { type CacheEntry, SeriesCache } from './series-cache.js';
import { TargetMetadata } from './target-metadata.js';

export type Health = 'up' | 'down' | 'unknown';

/** Fetches one exposition within the timeout; rejects with a one-line reason. */
export type Fetcher = (timeoutMs: number) => Promise<ScrapeBody>;

/** Everything /api/v1/targets shows about an active target. */
export interface TargetState {
  health: Health;
  lastError: string;
  /** Start of the last scrape, ms since the epoch; 0 = never. */
  lastScrape: number;
  /** Seconds. */
  lastScrapeDuration: number;
}

const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

export interface ScrapeLoopOptions {
  readonly key: string;
  readonly url: string;
  readonly interval: number;
  readonly timeout: number;
  readonly rules: SampleRules;
  readonly fetch: Fetcher;
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics?: ScrapeMetrics;
  /** State carried over from the loop this one replaces on reload. */
  readonly inherit?: { cache: SeriesCache; state: TargetState; metadata: TargetMetadata };
}

/**
 * Scrapes one target every interval: fetch, parse and append through the scrape cache, staleness
 * markers for vanished series, failed scrapes and removed targets, and the synthetic series.
 */
export class ScrapeLoop {
  readonly cache: SeriesCache;
  readonly metadata: TargetMetadata;
  readonly state: TargetState;
  /** Set by the pool when the job exceeds target_limit: every scrape fails with this reason. */
  forcedError: string | undefined;
  private readonly reportLabels: Labels[];
  private readonly reportRefs: SeriesRef[] = [0, 0, 0, 0, 0];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private next = 0;

  constructor(readonly options: ScrapeLoopOptions) {
    this.cache = options.inherit?.cache ?? new SeriesCache();
    this.metadata = options.inherit?.metadata ?? new TargetMetadata();
    this.state = options.inherit?.state ?? {
      health: 'unknown',
      lastError: '',
      lastScrape: 0,
      lastScrapeDuration: 0,
    };
    this.reportLabels = REPORT_NAMES.map((name) => {
      const labels: Label[] = options.rules.targetLabels.filter((l) => l.name !== METRIC_NAME);
      return sortLabels([...labels, { name: METRIC_NAME, value: name }]);
    });
  }

  /** The first scrape time: a fixed per-target offset within the interval, so targets spread out. */
  firstScrapeAt(now: number): number {
    const { interval, key } = this.options;
    const offset = fnv1a32(key) % interval;
    let at = now - (now % interval) + offset;
    if (at < now) at += interval;
    return at;
  }

  start(): void {
    this.next = this.firstScrapeAt(this.options.clock.now());
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = Math.max(0, this.next - this.options.clock.now());
    this.timer = setTimeout(() => {
      this.options.metrics?.lateness.observe(Math.max(0, this.options.clock.now() - this.next) / 1000);
      this.running = this.scrapeOnce().finally(() => {
        this.running = undefined;
        const now = this.options.clock.now();
        this.next += this.options.interval;
        // A scrape that overran its slot skips the slots it missed instead of bunching up.
        while (this.next <= now) {
          this.next += this.options.interval;
          this.options.metrics?.skippedSlots.inc();
        }
        this.schedule();
      });
    }, delay);
  }

  /** One scrape, start to commit. Never throws. */
  async scrapeOnce(): Promise<void> {
    const { clock, rules } = this.options;
    const start = clock.now();
    const startedAt = performance.now();
    let body: ScrapeBody | undefined;
    let error = this.forcedError;
    if (!error) {
      try {
        body = await this.options.fetch(this.options.timeout);
      } catch (e) {
        error = (e as Error).message;
      }
    }
    const app = this.options.appendable.appender();
    let scraped = 0;
    let added = 0;
    let seriesAdded = 0;
    if (body && !error) {
      const text = body.body.toString('utf8');
      const outcome = appendExposition(
        text,
        formatForContentType(body.contentType),
        start,
        this.cache,
        app,
        rules,
        this.metadata,
      );
      if (outcome.error) {
        app.rollback();
        this.cache.resetRefs(outcome.created);
        error = outcome.error;
      } else {
        scraped = outcome.scraped;
        added = outcome.added;
        seriesAdded = outcome.seriesAdded;
        this.appendStale(app, this.cache.commitSuccess(outcome.seen, outcome.seenCount), start);
      }
    }
    if (error) this.appendStale(app, this.cache.commitFailure(), start);
    const duration = (performance.now() - startedAt) / 1000;
    this.appendReport(app, start, Float64Array.of(error ? 0 : 1, duration, scraped, added, seriesAdded));
    try {
      await app.commit();
    } catch (e) {
      this.options.log.error('scrape: storing samples failed', {
        target: this.options.url,
        err: (e as Error).message,
      });
    }
    this.options.metrics?.scrapes.inc({ outcome: error ? 'down' : 'up' });
    this.state.health = error ? 'down' : 'up';
    this.state.lastError = error ?? '';
    this.state.lastScrape = start;
    this.state.lastScrapeDuration = duration;
    if (error) this.options.log.debug('scrape failed', { target: this.options.url, err: error });
  }

  private appendStale(app: Appender, entries: readonly CacheEntry[], t: number): void {
    for (const e of entries) {
      if (!e.labels) continue;
      try {
        e.ref = app.append(e.ref, e.labels, t, STALE_NAN);
      } catch {}
    }
  }

  /** Values travel in a Float64Array: a plain JS array may canonicalise the stale NaN's payload. */
  private appendReport(app: Appender, t: number, values: Float64Array): void {
    for (let i = 0; i < values.length; i++) {
      try {
        this.reportRefs[i] = app.append(this.reportRefs[i], this.reportLabels[i], t, values[i]);
      } catch (e) {
        this.options.log.warn('scrape: cannot store report series', {
          target: this.options.url,
          err: (e as Error).message,
        });
      }
    }
  }

  /**
   * Stops scraping. With `writeStale` (the target is gone) every series it exposed, and its
   * synthetic series, get a staleness marker; on a reload hand-over they do not.
   */
  async stop(writeStale: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (!writeStale) return;
    const app = this.options.appendable.appender();
    const t = this.options.clock.now();
    this.appendStale(app, this.cache.lastSeries(), t);
    if (this.state.lastScrape > 0)
      this.appendReport(app, t, new Float64Array(REPORT_NAMES.length).fill(STALE_NAN));
    try {
      await app.commit();
    } catch (e) {
      this.options.log.error('scrape: storing staleness markers failed', {
        target: this.options.url,
        err: (e as Error).message,
      });
    }
  }

  /** Stops without staleness and gives the state to a successor loop (reload). */
  handOver(): { cache: SeriesCache; state: TargetState; metadata: TargetMetadata } {
    this.stopped = true;
    clearTimeout(this.timer);
    return { cache: this.cache, state: this.state, metadata: this.metadata };
  }
}
