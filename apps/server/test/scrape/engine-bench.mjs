#!/usr/bin/env node
// The scrape engine alone (parse, scrape cache, relabel/merge, staleness bookkeeping), without
// HTTP and without a real storage: the same 500-series exposition scrape-load.mjs serves, for
// N targets, appended to an appender that only hands back references.
//
//   pnpm --filter @motley/server build && node apps/server/test/scrape/engine-bench.mjs [--targets 1000] [--rounds 6]
import { appendExposition, plainSampleRules } from '../../dist/scrape/append-samples.js';
import { SeriesCache } from '../../dist/scrape/series-cache.js';
import { TargetMetadata } from '../../dist/scrape/target-metadata.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const TARGETS = arg('targets', 1000);
const ROUNDS = arg('rounds', 6);
const SERIES = 500;

function exposition(target, round) {
  let out = '';
  let last = '';
  for (let i = 0; i < SERIES; i++) {
    const name = `fake_metric_${Math.floor(i / 10)}_total`;
    const counter = i % 2 === 0;
    if (name !== last) {
      out += `# HELP ${name} Fake metric.\n# TYPE ${name} ${counter ? 'counter' : 'gauge'}\n`;
      last = name;
    }
    const v = counter
      ? 1_700_000_000 * (1 + (i % 7)) + target + round * 15
      : ((target * 31 + i * 17 + round) % 1000) / 10;
    out += `${name}{idx="${i % 10}",kind="${i % 3 === 0 ? 'a' : 'b'}"} ${v}\n`;
  }
  return out;
}

const appender = { append: (ref) => ref || 1, commit: async () => {}, rollback() {} };
const caches = Array.from({ length: TARGETS }, () => new SeriesCache());
const metadata = Array.from({ length: TARGETS }, () => new TargetMetadata());
const rules = (t) =>
  plainSampleRules([
    { name: 'instance', value: '127.0.0.1:9100' },
    { name: 'job', value: 'fake' },
    { name: 'target', value: String(t) },
  ]);
const targetRules = Array.from({ length: TARGETS }, (_, t) => rules(t));

console.log(`${TARGETS} targets x ${SERIES} series, CPU per round of one scrape per target`);
for (let round = 0; round < ROUNDS; round++) {
  const bodies = Array.from({ length: TARGETS }, (_, t) => Buffer.from(exposition(t, round)));
  const c0 = process.cpuUsage();
  for (let t = 0; t < TARGETS; t++) {
    const out = appendExposition(
      bodies[t].toString('utf8'),
      'text',
      1_700_000_000_000 + round * 15_000,
      caches[t],
      appender,
      targetRules[t],
      metadata[t],
    );
    if (out.error) throw new Error(out.error);
    caches[t].commitSuccess(out.seen, out.seenCount);
  }
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  console.log(
    `round ${round}${round === 0 ? ' (every series new)' : ''}: ${ms.toFixed(0)} ms CPU, ${((ms * 1e3) / (TARGETS * SERIES)).toFixed(2)} µs/sample`,
  );
}
globalThis.gc?.();
console.log(`heap used after the rounds: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
