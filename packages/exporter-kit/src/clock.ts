/** Milliseconds since the epoch; injected wherever time decides behaviour, so tests can move it. */
export interface Clock {
  now(): number;
  /** Milliseconds from an arbitrary origin at sub-millisecond resolution, for durations. */
  elapsed?(): number;
}

/**
 * process.hrtime rather than performance.now(): the `performance` global loads Node's whole
 * perf_hooks family on first use (about 0.2 MiB resident in a small exporter).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  elapsed: () => {
    const [s, ns] = process.hrtime();
    return s * 1e3 + ns / 1e6;
  },
};

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private ms = 1_700_000_000_000) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
