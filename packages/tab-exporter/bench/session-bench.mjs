#!/usr/bin/env node
// Decode cost of Firefox session files of growing size, next to the C lz4 on the same data.
//   pnpm --filter @motley/tab-exporter build
//   node packages/tab-exporter/bench/session-bench.mjs [--tabs 100,1000,10000] [--runs 7] [--keep DIR]
//        [--python PYTHON]   (a python3 with the lz4 package, for the countfftabs column)
// Per size: compressed and decompressed bytes, the LZ4 block decode (bounds check + lz4js), JSON
// parse + count (the reference) next to the byte scanner the exporter uses, a whole read by SessionFileReader when the file changed and when it did not,
// `lz4 -b` (the C reference, decompression of the same JSON) when the lz4 program exists, and
// the classic countfftabs pipeline in Python when python3 has the lz4 package.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMozLz4, encodeMozLz4 } from '../dist/mozlz4.js';
import { countSessionBytes } from '../dist/session-counts.js';
import { SessionFileReader } from '../dist/session-file.js';
import { scanSessionCounts } from '../dist/session-scan.js';
import { makeSession } from './session-shape.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const sizes = opt('tabs', '100,1000,10000').split(',').map(Number);
const runs = Number(opt('runs', '7'));
const keep = opt('keep', undefined);

function median(f) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

async function medianAsync(f) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// What the classic countfftabs does: python-lz4's block decoder (C) on the bytes after the magic
// (they start with the size), json.loads, and the sum of windows[].tabs lengths.
const COUNTFFTABS_PY = `
import json, statistics, sys, time
import lz4.block
path, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    with open(path, 'rb') as f:
        data = f.read()
    assert data[:8] == b'mozLz40\\0'
    session = json.loads(lz4.block.decompress(data[8:]))
    tabs = sum(len(w['tabs']) for w in session['windows'])
    times.append((time.perf_counter() - t0) * 1000)
print(tabs, statistics.median(times))
`;

/** Median ms of the countfftabs pipeline on a file, or undefined without python3 + lz4. */
function countfftabsMs(path, expectedTabs) {
  const r = spawnSync(opt('python', 'python3'), ['-c', COUNTFFTABS_PY, path, String(runs)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return undefined;
  const [tabs, ms] = r.stdout.trim().split(' ').map(Number);
  if (tabs !== expectedTabs) throw new Error(`countfftabs counted ${tabs}, expected ${expectedTabs}`);
  return ms;
}

/** The C reference: `lz4 -b1` prints compression and decompression speed for a file. */
function cLz4DecompressMBps(path) {
  const r = spawnSync('lz4', ['-b1', '-e1', '-i3', path], { encoding: 'utf8' });
  if (r.error) return undefined;
  const speeds = [...`${r.stdout}${r.stderr}`.matchAll(/([\d.]+) MB\/s/g)].map((m) => Number(m[1]));
  return speeds.at(-1);
}

const dir = keep ?? mkdtempSync(join(tmpdir(), 'tab-bench-'));
const rows = [];
for (const tabs of sizes) {
  const json = new TextEncoder().encode(JSON.stringify(makeSession(tabs)));
  const file = encodeMozLz4(json);
  const decode = median(() => decodeMozLz4(file));
  const parse = median(() => countSessionBytes(decode.result));
  const scan = median(() => scanSessionCounts(decode.result));
  if (parse.result.tabs !== tabs || scan.result.tabs !== tabs)
    throw new Error(`miscounted: expected ${tabs} tabs`);

  const profile = join(dir, `p${tabs}`);
  mkdirSync(join(profile, 'sessionstore-backups'), { recursive: true });
  const recovery = join(profile, 'sessionstore-backups/recovery.jsonlz4');
  writeFileSync(recovery, file);
  const reader = new SessionFileReader({ maxDecodedBytes: 1 << 30 });
  // Changed: bump the mtime before each read so every read decodes.
  const changed = await medianAsync(async (i) => {
    utimesSync(recovery, 1_700_000_000 + i + 1, 1_700_000_000 + i + 1);
    await reader.read(profile);
  });
  const unchanged = await medianAsync(() => reader.read(profile));
  const countfftabs = countfftabsMs(recovery, tabs);
  const jsonPath = join(dir, `session-${tabs}.json`);
  writeFileSync(jsonPath, json);
  const c = cLz4DecompressMBps(jsonPath);
  rows.push({
    tabs,
    file: file.length,
    json: json.length,
    decode: decode.ms,
    mbps: json.length / 1e6 / (decode.ms / 1000),
    c,
    parse: parse.ms,
    scan: scan.ms,
    changed,
    unchanged,
    countfftabs,
  });
}
if (!keep) rmSync(dir, { recursive: true, force: true });

const kib = (n) => (n / 1024).toFixed(0);
console.log(`node ${process.version}, median of ${runs} runs`);
console.log(
  '| tabs | file KiB | JSON KiB | LZ4 decode ms | JS MB/s | C lz4 MB/s | JSON.parse + count ms | scan + count ms | read, changed ms | read, unchanged ms | countfftabs (Python, C lz4) ms |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.tabs} | ${kib(r.file)} | ${kib(r.json)} | ${r.decode.toFixed(2)} | ${r.mbps.toFixed(0)} | ${r.c ?? 'n/a'} | ${r.parse.toFixed(2)} | ${r.scan.toFixed(2)} | ${r.changed.toFixed(2)} | ${r.unchanged.toFixed(3)} | ${r.countfftabs?.toFixed(2) ?? 'n/a'} |`,
  );
}
