import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Matcher } from '../../src/model/matchers.js';
import { isStaleNaN } from '../../src/model/stale-nan.js';
import type { Queryable } from '../../src/storage/interface.js';

export interface FakeResponse {
  status?: number;
  body: string;
  contentType?: string;
  gzip?: boolean;
  delayMs?: number;
}

/** A real HTTP exporter whose next responses the test decides; it records request headers. */
export class FakeExporter {
  response: FakeResponse = { body: '' };
  readonly requests: IncomingMessage[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req);
    const r = this.response;
    const send = () => {
      const headers: Record<string, string> = {
        'Content-Type': r.contentType ?? 'text/plain; version=0.0.4',
      };
      let body: Buffer = Buffer.from(r.body);
      if (r.gzip) {
        body = gzipSync(body);
        headers['Content-Encoding'] = 'gzip';
      }
      res.writeHead(r.status ?? 200, headers);
      res.end(body);
    };
    if (r.delayMs) setTimeout(send, r.delayMs);
    else send();
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

export interface Point {
  t: number;
  v: number;
  stale: boolean;
}

/** Every sample of the series matching `selector` (name plus label equalities), by series. */
export function samples(
  storage: Queryable,
  name: string,
  labels: Record<string, string> = {},
): Map<string, Point[]> {
  const q = storage.querier(0, Number.MAX_SAFE_INTEGER);
  const matchers = [
    new Matcher('=', '__name__', name),
    ...Object.entries(labels).map(([k, v]) => new Matcher('=', k, v)),
  ];
  const out = new Map<string, Point[]>();
  for (const s of q.select(matchers)) {
    const { t, v } = s.samples();
    const key = s.labels.map((l) => `${l.name}=${l.value}`).join(',');
    out.set(
      key,
      Array.from(t, (ts, i) => ({ t: ts, v: v[i], stale: isStaleNaN(v[i]) })),
    );
  }
  q.close();
  return out;
}

/** The values of the one series matching, in time order. */
export function values(storage: Queryable, name: string, labels: Record<string, string> = {}): Point[] {
  const all = samples(storage, name, labels);
  if (all.size !== 1)
    throw new Error(
      `expected one series for ${name} ${JSON.stringify(labels)}, got ${[...all.keys()].join(' | ') || 'none'}`,
    );
  return [...all.values()][0];
}
