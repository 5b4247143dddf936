#!/usr/bin/env node
// A stand-in server that records the remote write requests it gets, so that a benchmark's exact
// requests can be replayed later (see ingest-ab.mjs). It answers 204 to POST /api/v1/write, 200
// to everything else, and appends each body to DIR/requests.bin (u32 length, then the body).
// Record the shared benchmark's workload once, from the repository root:
//
//   node ../shared/bench/tsdb-bench.mjs --systems project --no-queries --keep \
//     --project-cmd 'node apps/server/test/storage/bench/record-writes.mjs {dir} 127.0.0.1:{port}'
//
// The recording is then in /tmp/bench-project-*/data/requests.bin.
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [dir, address] = process.argv.slice(2);
if (!dir || !address) {
  console.error('usage: record-writes.mjs DIR HOST:PORT');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const file = join(dir, 'requests.bin');
const colon = address.lastIndexOf(':');
let count = 0;

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url?.startsWith('/api/v1/write')) {
      const body = Buffer.concat(chunks);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(body.length);
      appendFileSync(file, Buffer.concat([length, body]));
      count++;
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"success","data":{"resultType":"vector","result":[]}}');
  });
}).listen(Number(address.slice(colon + 1)), address.slice(0, colon));

process.on('SIGTERM', () => {
  console.error(`recorded ${count} requests in ${file}`);
  process.exit(0);
});
