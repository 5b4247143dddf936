#!/usr/bin/env node
// Times the decoding of recorded remote write requests (see record-writes.mjs) with a build's
// decoders, per body: snappy alone, the JavaScript WriteRequest decoder, and (where the build has
// it) the WebAssembly path of the server (snappy + walk). Best of five passes over all bodies.
//
//   node apps/server/test/storage/bench/decode-bench.mjs REQUESTS.bin [DIST...]
//
// DIST is a build's apps/server/dist directory (default: this tree's), e.g. that of a
// `git worktree` of an older commit, whose snappy decoder was JavaScript.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readRecordedRequests } from './replay.mjs';

const [file, ...dists] = process.argv.slice(2);
if (!file) {
  console.error('usage: decode-bench.mjs REQUESTS.bin [DIST...]');
  process.exit(2);
}
const bodies = readRecordedRequests(file);
const MAX = 1 << 30;

for (const dist of dists.length > 0
  ? dists.map((d) => resolve(d))
  : [join(import.meta.dirname, '../../../dist')]) {
  const { decodeSnappy } = await import(join(dist, 'remote/snappy.js'));
  const { decodeWriteRequest } = await import(join(dist, 'remote/write-request.js'));
  const wasmPath = join(dist, 'remote/write-request-wasm.js');
  const decodeRemoteWrite = existsSync(wasmPath) ? (await import(wasmPath)).decodeRemoteWrite : undefined;
  const decoded = bodies.map((b) => decodeSnappy(b, MAX));
  const kib = decoded.reduce((a, b) => a + b.length, 0) / bodies.length / 1024;
  const perBody = (fn, inputs) => {
    let best = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < 5; pass++) {
      const t0 = performance.now();
      for (const x of inputs) fn(x);
      best = Math.min(best, (performance.now() - t0) / inputs.length);
    }
    return best.toFixed(2);
  };
  const cells = [
    `snappy ${perBody((b) => decodeSnappy(b, MAX), bodies)}`,
    `JavaScript WriteRequest decoder ${perBody((d) => decodeWriteRequest(d), decoded)}`,
  ];
  if (decodeRemoteWrite)
    cells.push(`WebAssembly snappy + walk ${perBody((b) => decodeRemoteWrite(b, MAX), bodies)}`);
  console.log(
    `${dist}: ${bodies.length} bodies of ${kib.toFixed(0)} KiB decoded; ms per body: ${cells.join(', ')}`,
  );
}
