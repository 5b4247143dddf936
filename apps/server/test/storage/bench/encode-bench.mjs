#!/usr/bin/env node
// Chunk encoder speed on real data: decodes every sealed chunk of a storage directory (for
// instance one the shared benchmark kept with --keep), then times encoding them all again and
// checks that each comes out byte for byte as stored.
//
//   pnpm --filter @motley/server build
//   node ../shared/bench/tsdb-bench.mjs --systems project --no-queries --keep
//   node apps/server/test/storage/bench/encode-bench.mjs /tmp/bench-project-*/data [--rounds 4]
import { createRequire } from 'node:module';
import { join } from 'node:path';

const here = import.meta.dirname;
const dist = join(here, '../../../dist/storage/chunkenc');
const { decodeChunk, encodeChunk } = await import(join(dist, 'chunk.js'));
const { decodeSegment } = await import(join(dist, 'segment.js'));
const Database = createRequire(join(here, '../../../package.json'))('better-sqlite3');

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
if (!dir) {
  console.error('usage: encode-bench.mjs STORAGE_DIR [--rounds N]');
  process.exit(2);
}
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 4;

const db = new Database(join(dir, 'motley.db'), { readonly: true });
const chunks = [];
for (const row of db.prepare('SELECT mint, data FROM chunks').iterate()) {
  for (const c of decodeSegment(row.data, row.mint)) {
    const { t, v } = decodeChunk(c.data, c.mint);
    chunks.push({ t, v, bytes: Buffer.from(c.data) });
  }
}
db.close();
const samples = chunks.reduce((n, c) => n + c.t.length, 0);
console.log(`${chunks.length} chunks, ${samples} samples`);

for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  let bytes = 0;
  for (const c of chunks) bytes += encodeChunk(c.t, c.v).length;
  const ms = performance.now() - t0;
  console.log(
    `round ${r + 1}: ${ms.toFixed(0)} ms, ${((ms * 1e6) / samples).toFixed(1)} ns/sample, ${(bytes / samples).toFixed(4)} bytes/sample`,
  );
}
const differ = chunks.filter((c) => Buffer.compare(Buffer.from(encodeChunk(c.t, c.v)), c.bytes) !== 0).length;
console.log(differ === 0 ? 'every chunk encodes to its stored bytes' : `${differ} chunks encode differently`);
process.exitCode = differ === 0 ? 0 : 1;
