import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The heap policy changes V8 flags of the whole process: each case runs in its own node process,
// on the built modules (as the server does).
const dist = join(import.meta.dirname, '../../dist');

/** Runs an ES module script in a fresh node process and returns what it printed, parsed. */
function run(script: string, nodeFlags: string[] = []): Record<string, number | boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'motley-heap-'));
  try {
    writeFileSync(join(dir, 'script.mjs'), script);
    const out = execFileSync(process.execPath, [...nodeFlags, join(dir, 'script.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, DIST: dist },
    });
    return JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CHURN = `
  import { getHeapSpaceStatistics } from 'node:v8';
  const youngMiB = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
  // Objects that survive a scavenge or two: what makes V8 grow the young generation.
  function churn() {
    let keep = [];
    for (let i = 0; i < 3e6; i++) {
      keep.push({ a: i, b: [i] });
      if (keep.length > 20000) keep = [];
    }
  }
`;

describe('heap policy', () => {
  it('sets the young generation to 16 MiB and keeps it there under churn', () => {
    const without = run(`${CHURN}
      churn();
      console.log(JSON.stringify({ after: youngMiB() }));`);
    // The control: V8 grows it to 32 MiB on its own.
    expect(without.after).toBe(32);

    const withPolicy = run(`${CHURN}
      const { fixYoungGenerationSize } = await import(process.env.DIST + '/runtime/heap.js');
      fixYoungGenerationSize();
      const set = youngMiB();
      churn();
      const churned = youngMiB();
      churn();
      console.log(JSON.stringify({ set, churned, after: youngMiB() }));`);
    expect(withPolicy).toEqual({ set: 16, churned: 16, after: 16 });
  });

  it('leaves a smaller young generation given on the command line as it is, and returns quickly', () => {
    const r = run(
      `${CHURN}
      const { fixYoungGenerationSize } = await import(process.env.DIST + '/runtime/heap.js');
      const t0 = performance.now();
      fixYoungGenerationSize();
      const ms = performance.now() - t0;
      churn();
      console.log(JSON.stringify({ ms, after: youngMiB() }));`,
      ['--max-semi-space-size=1'],
    );
    expect(r.after).toBeLessThanOrEqual(2);
    expect(r.ms).toBeLessThan(400);
  });

  it('collects garbage after a burst only once 32 MiB more is held than after the last collection', () => {
    const r = run(`
      const heap = await import(process.env.DIST + '/runtime/heap.js');
      const off = heap.collectGarbageAfterBurst();
      heap.enableCollectionAfterBursts();
      const small = heap.collectGarbageAfterBurst();
      let garbage = [];
      for (let i = 0; i < 64; i++) garbage.push(new Float64Array(131072).fill(i)); // 64 MiB
      const held = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
      garbage = undefined;
      const before = held();
      const big = heap.collectGarbageAfterBurst();
      const after = held();
      const again = heap.collectGarbageAfterBurst();
      console.log(JSON.stringify({ off, small, big, again, freedMiB: (before - after) / 1048576 }));`);
    expect(r).toMatchObject({ off: false, small: false, big: true, again: false });
    expect(r.freedMiB).toBeGreaterThan(48);
  });

  it('empties the young generation before a query once it holds 4 MiB, and leaves it alone below', () => {
    const r = run(
      `
      import { getHeapSpaceStatistics } from 'node:v8';
      const heap = await import(process.env.DIST + '/runtime/heap.js');
      heap.fixYoungGenerationSize();
      heap.enableCollectionAfterBursts();
      const usedMiB = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size / 1048576;
      // Short-lived garbage in the young generation: arrays of 8 KB, 128 per MiB (kept reachable
      // for a moment, so that the compiler cannot leave them out).
      const escape = [];
      const garbage = (mib) => {
        for (let k = 0; k < mib * 128; k++) escape[k & 7] = new Array(1000).fill(k);
      };
      gc({ type: 'minor' }); // start from an empty young generation
      garbage(1);
      const small = usedMiB();
      heap.scavengeBeforeQuery();
      const afterSmall = usedMiB();
      garbage(4);
      const large = usedMiB();
      heap.scavengeBeforeQuery();
      console.log(JSON.stringify({ small, afterSmall, large, afterLarge: usedMiB() }));`,
      ['--expose-gc'],
    );
    expect(r.small).toBeLessThan(4);
    expect(r.small).toBeGreaterThan(1);
    expect(r.afterSmall).toBeGreaterThanOrEqual(r.small); // not collected
    expect(r.large).toBeGreaterThan(4);
    expect(r.afterLarge).toBeLessThan(1);
  });
});
