import type { Label, Labels } from '../model/labels.js';
import type { SeriesRef } from '../storage/interface.js';

/** What a target's scrape remembers about one exposed series, keyed by its raw series text. */
export interface CacheEntry {
  /** The raw series text this entry is stored under. */
  readonly key: string;
  /** Final labels after target labels and metric_relabel_configs; undefined = dropped. */
  labels: Labels | undefined;
  ref: SeriesRef;
  /** Scrape attempt that last saw it (duplicate detection within one scrape). */
  seenInAttempt: number;
  /** Last successful scrape that appended it (staleness). */
  seenInSuccess: number;
  /** The sample carried its own timestamp: Prometheus writes no staleness markers for those. */
  explicitTimestamp: boolean;
}

/** Entries unseen for this many successful scrapes are forgotten. */
const EVICT_AFTER = 10;

/**
 * The per-target scrape cache: series text -> labels and storage reference, so a steady target
 * costs one Map lookup per sample, and the bookkeeping for staleness markers.
 */
export class SeriesCache {
  private readonly entries = new Map<string, CacheEntry>();
  private attempt = 0;
  private success = 0;
  /** Success number of the previous successful scrape, or -1 after a failure (nothing to stale). */
  private previousSuccess = -1;

  /**
   * Exporters print their series in the same order every time, so the entry at the same position
   * in the previous scrape is checked first, in place; the Map (which needs the key as a new
   * string) is only consulted when the order changed.
   */
  private previousOrder: CacheEntry[] = [];
  private currentOrder: CacheEntry[] = [];

  /** The entry at this position in the previous scrape, if any. */
  expectedAt(index: number): CacheEntry | undefined {
    return this.previousOrder[index];
  }

  /** Records the entry of the next sample of the current scrape. */
  recordOrder(entry: CacheEntry): void {
    this.currentOrder.push(entry);
  }

  /** Ends the current scrape's order; it becomes the expectation for the next one. */
  finishOrder(): void {
    const reuse = this.previousOrder;
    this.previousOrder = this.currentOrder;
    reuse.length = 0;
    this.currentOrder = reuse;
  }

  /** One Label object per distinct exposed pair: series of one target share most of theirs. */
  private readonly interned = new Map<string, Label>();

  intern(label: Label): Label {
    const key = `${label.name}\xff${label.value}`;
    const found = this.interned.get(key);
    if (found) return found;
    // Bounded: label values that churn (ids, timestamps) must not grow it forever.
    if (this.interned.size > 4 * this.entries.size + 1000) this.interned.clear();
    this.interned.set(key, label);
    return label;
  }

  /** Scratch space for the entries one scrape appends, reused (never truncated) across scrapes. */
  readonly seenScratch: CacheEntry[] = [];

  get size(): number {
    return this.entries.size;
  }

  /** Starts a scrape attempt; returns its number. */
  beginAttempt(): number {
    return ++this.attempt;
  }

  get(key: string): CacheEntry | undefined {
    return this.entries.get(key);
  }

  add(key: string, labels: Labels | undefined): CacheEntry {
    const entry: CacheEntry = {
      key,
      labels,
      ref: 0,
      seenInAttempt: 0,
      seenInSuccess: 0,
      explicitTimestamp: false,
    };
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Marks the attempt's entries as seen by a successful scrape and returns the labels/refs of
   * series that were in the previous successful scrape but not in this one.
   */
  commitSuccess(seen: readonly CacheEntry[], count = seen.length): CacheEntry[] {
    const now = ++this.success;
    for (let i = 0; i < count; i++) seen[i].seenInSuccess = now;
    const stale: CacheEntry[] = [];
    for (const [key, e] of this.entries) {
      if (e.seenInSuccess === now) continue;
      if (e.seenInSuccess === this.previousSuccess && e.labels && !e.explicitTimestamp) stale.push(e);
      if (now - e.seenInSuccess > EVICT_AFTER && e.seenInAttempt < this.attempt) this.entries.delete(key);
    }
    this.previousSuccess = now;
    return stale;
  }

  /** A failed scrape: every series of the last successful scrape goes stale, once. */
  commitFailure(): CacheEntry[] {
    const stale: CacheEntry[] = [];
    if (this.previousSuccess >= 0) {
      for (const e of this.entries.values()) {
        if (e.seenInSuccess === this.previousSuccess && e.labels && !e.explicitTimestamp) stale.push(e);
      }
    }
    this.previousSuccess = -1;
    return stale;
  }

  /** Series of the last successful scrape (for end-of-target staleness). */
  lastSeries(): CacheEntry[] {
    return this.commitFailure();
  }

  /** Forgets storage references, e.g. after a rollback left new ones unwritten. */
  resetRefs(entries: readonly CacheEntry[]): void {
    for (const e of entries) e.ref = 0;
  }
}
