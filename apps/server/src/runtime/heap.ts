import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How the server keeps V8's heap small. Both settings below are V8 flags that take effect at run
 * time, so the server applies them itself rather than asking for node command-line flags.
 */

/**
 * Stops the young generation from growing past its current size. Under a high allocation rate
 * V8 doubles it up to 32 MiB, a sixth of the server's memory while ingesting, for little gain:
 * the server's short-lived objects die young at any size (measured in the README's Performance
 * section). Starting a worker thread resets the flag, so this is called again once each worker is
 * online.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Memory held (V8 heap and array buffers) after which a pause in writes is worth a full GC. */
const GROWTH_WORTH_COLLECTING = 32 << 20;
let collect: (() => void) | undefined;
let heldAfterLastCollect = 0;

/** Makes `collectGarbageAfterBurst` able to run a full GC; call once at start. */
export function enableCollectionAfterBursts(): void {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  heldAfterLastCollect = held();
}

/**
 * A full garbage collection, when writes paused and the heap and array buffers grew by 32 MiB
 * since the last one. V8 collects the old generation only when it reaches a limit that grows
 * with it; after a burst of ingest most of it is garbage (request buffers, grown head arrays),
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
