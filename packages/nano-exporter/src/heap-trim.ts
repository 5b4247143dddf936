/** Bytes in use in V8's heap. */
export function usedHeap(): number {
  return process.memoryUsage().heapUsed;
}

export type Collect = (kind: 'minor' | 'major') => void;

/**
 * Keeps V8's heap close to what is live. A scrape allocates about 1 MiB and some KiB of it
 * outlive a scavenge and get promoted; V8 then lets the old generation grow some 8 MiB past the
 * live heap before it marks (measured: 5 MiB live, collected at 13 MiB), so a process scraped
 * often sat 4 to 8 MiB above what it needs. After a scrape has been written out, a scavenge
 * empties the young generation (what the scrape made is garbage by then, so it is cheap and
 * promotes next to nothing), which leaves the heap's used size equal to the old generation's;
 * once that grew by `budgetBytes` since the last full collection, a full collection (a few ms
 * with a 5 MiB heap) brings it back down. The size is looked at every `checkEvery` scrapes only:
 * process.memoryUsage() also reads /proc/self/stat, which costs more than the scavenge.
 *
 * Needs `node --expose-gc`; without it V8's own heuristics apply. Heap sizes come from
 * process.memoryUsage() rather than node:v8, which alone costs 0.2 MiB resident.
 */
export class HeapTrimmer {
  private floor = Number.NEGATIVE_INFINITY;
  private scrapes = 0;
  collections = 0;

  constructor(
    private readonly gc: Collect | undefined,
    private readonly budgetBytes: number,
    private readonly checkEvery = 1,
    private readonly used: () => number = usedHeap,
  ) {}

  get enabled(): boolean {
    return this.gc !== undefined;
  }

  afterScrape(): void {
    if (!this.gc) return;
    this.gc('minor');
    // The first scrape also collects what starting up left behind.
    if (this.scrapes++ % this.checkEvery !== 0 || this.used() < this.floor + this.budgetBytes) return;
    this.gc('major');
    this.collections++;
    this.floor = this.used();
  }
}

/** `gc` as `node --expose-gc` defines it, if it does. */
export function exposedGc(): Collect | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  // Node 20's V8 takes { type: 'minor' } but answers { type: 'major' } with a scavenge too: a
  // full collection is the plain call.
  return typeof gc === 'function' ? (kind) => (kind === 'minor' ? gc({ type: 'minor' }) : gc()) : undefined;
}
