#!/usr/bin/env node
// Restart time with a full head: remote-writes S series x N samples (15 s apart, with jitter,
// random-walk values) to a fresh server, back to back so that no checkpoint runs, stops it with kill -9 (head only in the durable log and
// the last checkpoint) or SIGTERM (head checkpointed), restarts it on the same directory and
// times until it answers HTTP, then checks that every sample is back.
//
//   node apps/server/test/storage/bench/restart-bench.mjs [--series 16050] [--samples 239]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const snappy = require('snappyjs');
const MAIN = join(import.meta.dirname, '../../../dist/main.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SERIES = arg('series', 16050);
const SAMPLES = arg('samples', 239);
const PER_REQUEST = 20_000;

function varint(out, n) {
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
}
function field(out, num, bytes) {
  out.push((num << 3) | 2);
  varint(out, bytes.length);
  for (const b of bytes) out.push(b);
}
const enc = new TextEncoder();
const labelBytes = Array.from({ length: SERIES }, (_, s) => {
  const out = [];
  const labels = [
    ['__name__', `bench_metric_${s % 300}`],
    ['instance', `host-${Math.floor(s / 300)}:9100`],
    ['job', 'node'],
  ];
  for (const [k, v] of labels) {
    const l = [];
    field(l, 1, enc.encode(k));
    field(l, 2, enc.encode(v));
    field(out, 1, l);
  }
  return out;
});

function* requests() {
  const start = Date.now() - SAMPLES * 15_000;
  const value = new Float64Array(SERIES).fill(1000);
  const f = new Float64Array(1);
  const fb = new Uint8Array(f.buffer);
  const steps = Math.max(1, Math.floor(PER_REQUEST / SERIES));
  for (let i0 = 0; i0 < SAMPLES; i0 += steps) {
    const body = [];
    for (let s = 0; s < SERIES; s++) {
      const ts = labelBytes[s].slice();
      for (let i = i0; i < Math.min(SAMPLES, i0 + steps); i++) {
        value[s] = Math.round((value[s] + (Math.random() - 0.5) * 10) * 100) / 100;
        f[0] = value[s];
        const smp = [0x09, ...fb, 0x10];
        varint(smp, start + i * 15_000 + Math.floor(Math.random() * 5));
        field(ts, 2, smp);
      }
      field(body, 1, ts);
    }
    yield snappy.compress(Uint8Array.from(body));
  }
}

function start(dir) {
  const child = spawn(process.execPath, [MAIN, `--storage.path=${dir}`, '--web.listen-address=127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const onData = (d) => {
    log += d;
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /urls=(http:\/\/\S+)/.exec(log);
      if (m) {
        clearInterval(timer);
        resolve({ child, url: m[1].replace(/,.*/, ''), log: () => log });
      }
    }, 5);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited ${code}: ${log}`));
    });
  });
}

// Encoded up front so that writes arrive back to back: no idle checkpoint, the whole head is in the log.
const bodies = [...requests()];
for (const signal of ['SIGKILL', 'SIGTERM']) {
  const dir = mkdtempSync(join(tmpdir(), 'motley-restart-bench-'));
  let server = await start(dir);
  let sent = 0;
  for (const body of bodies) {
    const res = await fetch(`${server.url}/api/v1/write`, {
      method: 'POST',
      body,
      headers: { 'Content-Encoding': 'snappy' },
    });
    if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`);
    sent++;
  }
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const checkpoints = /^motley_storage_checkpoints_total (\d+)/m.exec(metrics)?.[1];
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill(signal);
  await exited;
  const logDir = join(dir, 'head-log');
  const logMiB = readdirSync(logDir).reduce((a, f) => a + statSync(join(logDir, f)).size, 0) / 1048576;
  const t0 = performance.now();
  server = await start(dir);
  const ready = (performance.now() - t0) / 1000;
  const replay = /replay_seconds=([\d.]+)/.exec(server.log())?.[1];
  const text = await (
    await fetch(`${server.url}/api/v1/export?match[]={__name__=~"bench_metric_.*"}`)
  ).text();
  const samples = text
    .trim()
    .split('\n')
    .reduce((a, l) => a + JSON.parse(l.replace(/NaN|-?Inf/g, '0')).timestamps.length, 0);
  console.log(
    `${signal}: ${SERIES} series x ${SAMPLES} samples in ${sent} requests, ${checkpoints} checkpoint(s) before the stop; ` +
      `durable log ${logMiB.toFixed(1)} MiB; ` +
      `restart to listening ${ready.toFixed(2)} s (log replay ${replay} s); samples back ${samples} of ${SERIES * SAMPLES}`,
  );
  const stopped = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await stopped;
  rmSync(dir, { recursive: true, force: true });
}
