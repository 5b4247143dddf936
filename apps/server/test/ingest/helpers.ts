import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const snappy = require('snappyjs') as { compress(b: Uint8Array): Uint8Array };

export const MAIN = join(import.meta.dirname, '../../dist/main.js');

export interface SeriesInput {
  labels: Record<string, string>;
  /** 'stale' is Prometheus' staleness marker (NaN bits 0x7ff0000000000002; plain JS arrays would lose them). */
  samples: Array<[number, number | 'stale']>;
}

const STALE_BYTES = [2, 0, 0, 0, 0, 0, 0xf0, 0x7f];

function varint(out: number[], n: number): void {
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

function field(out: number[], num: number, bytes: ArrayLike<number>): void {
  out.push((num << 3) | 2);
  varint(out, bytes.length);
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]);
}

/** A remote write 1.0 WriteRequest, protobuf-encoded (not compressed). */
export function encodeWriteRequest(series: SeriesInput[]): Uint8Array {
  const enc = new TextEncoder();
  const body: number[] = [];
  for (const s of series) {
    const ts: number[] = [];
    for (const [k, v] of Object.entries(s.labels)) {
      const l: number[] = [];
      field(l, 1, enc.encode(k));
      field(l, 2, enc.encode(v));
      field(ts, 1, l);
    }
    for (const [t, v] of s.samples) {
      const smp = [0x09, ...(v === 'stale' ? STALE_BYTES : new Uint8Array(Float64Array.of(v).buffer)), 0x10];
      varint(smp, t);
      field(ts, 2, smp);
    }
    field(body, 1, ts);
  }
  return Uint8Array.from(body);
}

export function snappyCompress(b: Uint8Array): Uint8Array {
  return snappy.compress(b);
}

export async function remoteWrite(url: string, series: SeriesInput[]): Promise<Response> {
  return fetch(`${url}/api/v1/write`, {
    method: 'POST',
    body: snappyCompress(encodeWriteRequest(series)),
    headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' },
  });
}

export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

export async function exportSeries(url: string, match = '{__name__=~".+"}'): Promise<ExportedSeries[]> {
  const res = await fetch(`${url}/api/v1/export?${new URLSearchParams({ 'match[]': match })}`);
  if (res.status !== 200) throw new Error(`export: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l.replace(/([[,])(NaN|-?Inf)(?=[,\]])/g, '$1"$2"')) as ExportedSeries);
}

/** A free TCP port on loopback (for programs that cannot report the port they bound). */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

/** Runs `motley server` as a real process on a random port; resolves once it listens. */
export async function startServerProcess(storagePath: string, extra: string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [MAIN, `--storage.path=${storagePath}`, '--web.listen-address=127.0.0.1:0', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const onData = (d: Buffer) => {
    log += d.toString();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 15_000);
    const check = () => {
      const m = /urls=(http:\/\/[^\s,]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr?.on('data', check);
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    child,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < ms) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
