import { getHeapSpaceStatistics } from 'node:v8';

/** Bytes in use in V8's old generation. */
export function oldSpaceUsed(): number {
  for (const s of getHeapSpaceStatistics()) if (s.space_name === 'old_space') return s.space_used_size;
  return 0;
}

/**
 * Keeps the old generation close to what is live. A scrape allocates about 1 MiB and a few KiB of
 * it outlive a scavenge and get promoted; V8 then lets the old generation grow some 8 MiB past the
 * live heap before it marks (measured: 5 MiB live, collected at 13 MiB, and the pages stay
 * committed), so a process scraped often sat 4 to 8 MiB above what it needs. After a scrape has
 * been written out, once the old generation has grown by `budgetBytes` since the last collection,
 * a full collection (about 2 ms with a 5 MiB heap) brings it back down. Needs `node --expose-gc`;
 * without it V8's own heuristics apply.
 */
export class HeapTrimmer {
  private floor = Number.NEGATIVE_INFINITY;
  collections = 0;

  constructor(
    private readonly gc: (() => void) | undefined,
    private readonly budgetBytes: number,
    private readonly used: () => number = oldSpaceUsed,
  ) {}

  get enabled(): boolean {
    return this.gc !== undefined;
  }

  afterScrape(): void {
    if (!this.gc || this.used() < this.floor + this.budgetBytes) return;
    this.gc();
    this.collections++;
    this.floor = this.used();
  }
}

/** `gc` as `node --expose-gc` defines it, if it does. */
export function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => gc() : undefined;
}
