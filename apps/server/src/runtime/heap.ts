import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How the server keeps V8's heap small. Both settings below are V8 flags that take effect at run
 * time, so the server applies them itself rather than asking for node command-line flags.
 */

/** The young generation (both semi-spaces) is grown to this at start and kept there. */
const YOUNG_GENERATION_SIZE = 16 << 20;

/**
 * Sets the young generation to 16 MiB and stops it from growing. Under a high allocation rate V8
 * doubles it up to 32 MiB, a sixth of the server's memory while ingesting, for little gain:
 * ingest needs none of it, queries some (kept at the start-up size of 8 MiB, a query over 16,000
 * series ran 30% slower). `--max-semi-space-size` would cap it but must be given on node's
 * command line, and V8 grows the space only when a scavenge finds it too small; the growth factor
 * is read at run time. So at start, short-lived objects are allocated until V8 has grown it to
 * 16 MiB (15 to 36 ms once the server's modules are loaded), then growth is turned off.
 */
export function fixYoungGenerationSize(): void {
  const deadline = performance.now() + 500;
  let keep: unknown[] = [];
  let size = youngGenerationBytes();
  let stalled = 0;
  // Stops early when V8 will not grow it further (node run with a smaller --max-semi-space-size).
  while (size < YOUNG_GENERATION_SIZE && stalled < 24 && performance.now() < deadline) {
    // Objects that outlive a scavenge or two: what makes V8 grow the space.
    for (let i = 0; i < 20_000; i++) keep.push({ i });
    if (keep.length > 100_000) keep = [];
    const now = youngGenerationBytes();
    stalled = now > size ? 0 : stalled + 1;
    size = now;
  }
  setFlagsFromString('--semi-space-growth-factor=1');
}

function youngGenerationBytes(): number {
  return newSpace()?.space_size ?? 0;
}

function youngGenerationUsed(): number {
  return newSpace()?.space_used_size ?? 0;
}

function newSpace() {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
}

/** Memory held (V8 heap and array buffers) after which a pause in writes is worth a full GC. */
const GROWTH_WORTH_COLLECTING = 32 << 20;
/** Young generation use from which a query starts with a scavenge. */
const YOUNG_USE_WORTH_SCAVENGING = YOUNG_GENERATION_SIZE / 4;
let collect: ((options?: { type: 'minor' | 'major' }) => void) | undefined;
let heldAfterLastCollect = 0;

/** Makes `collectGarbageAfterBurst` and `scavengeBeforeQuery` able to run; call once at start. */
export function enableCollectionAfterBursts(): void {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as typeof collect;
  setFlagsFromString('--no-expose-gc');
  heldAfterLastCollect = held();
}

/**
 * A full garbage collection, when writes paused and the heap and array buffers grew by 32 MiB
 * since the last one. V8 collects the old generation only when it reaches a limit that grows
 * with it; after a burst of ingest most of it is garbage (request bodies, decoded batches),
 * and collecting it then lets what comes next (queries, the next burst) reuse that memory instead
 * of raising the process' peak. Takes tens of milliseconds, once per pause at most.
 * Returns whether it collected.
 */
export function collectGarbageAfterBurst(): boolean {
  if (!collect || held() - heldAfterLastCollect < GROWTH_WORTH_COLLECTING) return false;
  collect();
  heldAfterLastCollect = held();
  return true;
}

function held(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Empties the young generation before a query when it holds 4 MiB or more. A query keeps what
 * it allocates (selected series, their samples, per-series results) alive until it ends, 12 MiB
 * and more over 16,000 series. A scavenge in the middle of it copies all of that and promotes it
 * to the old generation, where it lies as garbage until the next full collection: the query took
 * half again as long, and six runs of one such query raised the peak RSS by 25 to 35 MiB. From a
 * nearly empty young generation (a scavenge of garbage takes about a millisecond) it usually
 * finishes before the next one. See the README's Query performance section.
 */
export function scavengeBeforeQuery(): void {
  if (!collect || youngGenerationUsed() < YOUNG_USE_WORTH_SCAVENGING) return;
  collect({ type: 'minor' });
}
