import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGunzip } from 'node:zlib';

/** An error with the HTTP status it should produce; the message is the one-line reason. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Prometheus API errorType, e.g. bad_data, execution, timeout, unavailable. */
    readonly errorType = status >= 500 ? 'internal' : 'bad_data',
  ) {
    super(message);
  }
}

/**
 * Reads a request body into one Buffer, refusing more than `limit` bytes with 413 (without reading
 * the rest into memory). A gzip Content-Encoding is decoded, with the limit on the decoded size.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks = await readBodyChunks(req, limit);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/**
 * readBody without joining the pieces: for consumers that copy the body anyway (the remote write
 * decoder copies it into its own memory), which spares a body-sized buffer per request.
 */
export async function readBodyChunks(req: IncomingMessage, limit: number): Promise<Buffer[]> {
  const declared = Number(req.headers['content-length'] ?? -1);
  if (declared > limit)
    throw new HttpError(413, `request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  const source: AsyncIterable<Buffer> = encoding === 'gzip' ? req.pipe(createGunzip()) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        throw new HttpError(413, `request body exceeds the limit of ${limit} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, `cannot read request body: ${(e as Error).message}`);
  }
  return chunks;
}

/** Query-string and (for POST) form-encoded body parameters merged, like Go's r.Form. */
export async function readParams(req: IncomingMessage, limit = 8 << 20): Promise<URLSearchParams> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const params = new URLSearchParams(url.search);
  const type = String(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) {
    const body = await readBody(req, limit);
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
  }
  return params;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Prometheus' API envelope for success. */
export function sendApiData(res: ServerResponse, data: unknown, warnings?: string[]): void {
  sendJson(res, 200, warnings?.length ? { status: 'success', data, warnings } : { status: 'success', data });
}

/** Prometheus' API envelope for errors. */
export function sendApiError(res: ServerResponse, status: number, errorType: string, error: string): void {
  sendJson(res, status, { status: 'error', errorType, error });
}
