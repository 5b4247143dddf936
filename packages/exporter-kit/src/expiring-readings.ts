import type { Clock } from './clock.js';

export interface Reading<T> {
  key: string;
  value: T;
  /** Milliseconds since the epoch when the reading last arrived. */
  lastSeen: number;
  /** How long after lastSeen the reading is dropped. */
  ttlMs: number;
}

/**
 * Readings that arrive on their own (BLE adverts, serial lines), kept with a last-seen time.
 * A reading older than its TTL disappears, so a silent sensor vanishes from /metrics instead of
 * reporting its last value forever.
 */
export class ExpiringReadings<T> {
  private readonly items = new Map<string, Reading<T>>();

  constructor(private readonly clock: Clock) {}

  set(key: string, value: T, ttlMs: number): void {
    this.items.set(key, { key, value, lastSeen: this.clock.now(), ttlMs });
  }

  get(key: string): Reading<T> | undefined {
    const r = this.items.get(key);
    if (r && this.expired(r)) {
      this.items.delete(key);
      return undefined;
    }
    return r;
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  /** Live readings in insertion order; expired ones are dropped on the way. */
  live(): Reading<T>[] {
    const out: Reading<T>[] = [];
    for (const r of this.items.values()) {
      if (this.expired(r)) this.items.delete(r.key);
      else out.push(r);
    }
    return out;
  }

  get size(): number {
    return this.live().length;
  }

  private expired(r: Reading<T>): boolean {
    return this.clock.now() - r.lastSeen > r.ttlMs;
  }
}
