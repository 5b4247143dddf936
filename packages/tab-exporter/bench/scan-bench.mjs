#!/usr/bin/env node
// JSON.parse + count against the byte scanner on one big session, each in its own process so
// their memory does not mix.
//   pnpm --filter @motley/tab-exporter build
//   node packages/tab-exporter/bench/scan-bench.mjs [--tabs 10000] [--runs 15]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeSession } from './session-shape.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const tabs = Number(opt('tabs', '10000'));
const runs = Number(opt('runs', '15'));
const mode = opt('mode', undefined);

if (mode) {
  // Child: build the bytes, then time only the counting.
  const { countSessionBytes } = await import('../dist/session-counts.js');
  const { scanSessionCounts } = await import('../dist/session-scan.js');
  const count = mode === 'scan' ? scanSessionCounts : countSessionBytes;
  const bytes = new TextEncoder().encode(JSON.stringify(makeSession(tabs)));
  global.gc?.();
  const before = process.memoryUsage().rss;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const counts = count(bytes);
    times.push(performance.now() - t0);
    if (counts.tabs !== tabs) throw new Error(`counted ${counts.tabs}, expected ${tabs}`);
  }
  times.sort((a, b) => a - b);
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    JSON.stringify({ mode, json: bytes.length, median: times[runs >> 1], min: times[0], before, peak }),
  );
} else {
  const self = fileURLToPath(import.meta.url);
  const rows = ['parse', 'scan'].map((m) => {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', self, '--mode', m, '--tabs', String(tabs), '--runs', String(runs)],
      {
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  });
  const mib = (n) => (n / 2 ** 20).toFixed(0);
  console.log(`${tabs} tabs, ${mib(rows[0].json)} MiB of JSON, ${runs} runs, node ${process.version}`);
  console.log('| counting | median ms | min ms | RSS before MiB | peak RSS MiB |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const name = r.mode === 'scan' ? 'byte scanner (exporter)' : 'JSON.parse + countSession';
    console.log(
      `| ${name} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} | ${mib(r.before)} | ${mib(r.peak)} |`,
    );
  }
}
