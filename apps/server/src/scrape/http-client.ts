import { readFileSync } from 'node:fs';
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { createGunzip, createInflate } from 'node:zlib';
import type { HttpClientConfig } from '../config/types.js';
import { VERSION } from '../version.js';
import { httpConnectTunnel, socks5Tunnel, stripBrackets, TunnelAgent } from './tunnel-agent.js';

/** What Prometheus 2.42 sends: OpenMetrics preferred, then the text format. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface ScrapeBody {
  contentType: string;
  body: Buffer;
}

/** A scrape failed; the message is what /api/v1/targets shows as lastError. */
export class ScrapeError extends Error {
  override name = 'ScrapeError';
}

const MAX_REDIRECTS = 10;

/**
 * The HTTP side of scraping for one scrape config: TLS, basic/bearer auth (secret files read at
 * every use so rotation needs no reload), http:// and socks5:// proxies, gzip, a body size limit
 * and the scrape timeout. One keep-alive agent per client, so connections to targets are reused.
 */
export class ScrapeHttpClient {
  private readonly agent: HttpAgent;
  private readonly httpProxy: URL | undefined;
  private readonly tlsError: string | undefined;

  constructor(
    private readonly config: HttpClientConfig,
    scheme: 'http' | 'https',
    private readonly bodySizeLimit: number,
    connectTimeoutMs: number,
  ) {
    let tls: ConnectionOptions | undefined;
    try {
      tls = scheme === 'https' ? tlsOptions(config) : undefined;
    } catch (e) {
      this.tlsError = (e as Error).message;
    }
    // Concurrent scrapes of one host (many targets behind one address) are not queued; a few idle
    // connections per host are kept for the next round.
    const agentOptions = { keepAlive: true, maxFreeSockets: 32, scheduling: 'lifo' as const };
    const proxy = config.proxyUrl ? new URL(config.proxyUrl) : undefined;
    if (proxy?.protocol.startsWith('socks5')) {
      this.agent = new TunnelAgent(socks5Tunnel(proxy), tls, connectTimeoutMs, agentOptions);
    } else if (proxy && scheme === 'https') {
      this.agent = new TunnelAgent(httpConnectTunnel(proxy), tls, connectTimeoutMs, agentOptions);
    } else if (proxy) {
      // Plain http through an HTTP proxy: absolute-URI requests to the proxy.
      this.httpProxy = proxy;
      this.agent = new HttpAgent(agentOptions);
    } else {
      this.agent =
        scheme === 'https' ? new HttpsAgent({ ...agentOptions, ...tls }) : new HttpAgent(agentOptions);
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /** GETs the URL; resolves with the decoded body, rejects with ScrapeError. */
  async fetch(url: string, timeoutMs: number): Promise<ScrapeBody> {
    if (this.tlsError) throw new ScrapeError(this.tlsError);
    const deadline = Date.now() + timeoutMs;
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const res = await this.get(current, timeoutMs, deadline);
      const status = res.response.statusCode ?? 0;
      const location = res.response.headers.location;
      if (
        status >= 300 &&
        status < 400 &&
        location &&
        this.config.followRedirects &&
        redirects < MAX_REDIRECTS
      ) {
        res.response.resume();
        current = new URL(location, current).toString();
        continue;
      }
      if (status !== 200) {
        res.response.resume();
        throw new ScrapeError(
          `server returned HTTP status ${status} ${res.response.statusMessage ?? ''}`.trimEnd(),
        );
      }
      return {
        contentType: String(res.response.headers['content-type'] ?? ''),
        body: await this.readBody(res.response, res.abort),
      };
    }
  }

  private headers(timeoutMs: number): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {
      Accept: SCRAPE_ACCEPT,
      'Accept-Encoding': 'gzip',
      'User-Agent': `motley/${VERSION}`,
      'X-Prometheus-Scrape-Timeout-Seconds': String(timeoutMs / 1000),
    };
    const { basicAuth, authorization } = this.config;
    if (basicAuth) {
      const password = basicAuth.passwordFile
        ? readSecret(basicAuth.passwordFile, 'password_file')
        : (basicAuth.password ?? '');
      headers.Authorization = `Basic ${Buffer.from(`${basicAuth.username}:${password}`).toString('base64')}`;
    } else if (authorization) {
      const credentials = authorization.credentialsFile
        ? readSecret(authorization.credentialsFile, 'credentials_file')
        : (authorization.credentials ?? '');
      headers.Authorization = `${authorization.type} ${credentials}`;
    }
    return headers;
  }

  private get(
    url: string,
    timeoutMs: number,
    deadline: number,
  ): Promise<{ response: IncomingMessage; abort: () => void }> {
    const target = new URL(url);
    const headers = this.headers(timeoutMs);
    const https = target.protocol === 'https:';
    let options: RequestOptions;
    if (this.httpProxy && !https) {
      options = {
        host: stripBrackets(this.httpProxy.hostname),
        port: Number(this.httpProxy.port || 80),
        path: target.toString(),
        headers: { ...headers, Host: target.host },
        agent: this.agent,
      };
    } else {
      options = {
        host: stripBrackets(target.hostname),
        port: Number(target.port || (https ? 443 : 80)),
        path: `${target.pathname}${target.search}`,
        headers,
        agent: this.agent,
      };
    }
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(options);
      const timer = setTimeout(
        () => req.destroy(new ScrapeError(`scrape timed out after ${timeoutMs / 1000}s`)),
        Math.max(0, deadline - Date.now()),
      );
      const abort = () => req.destroy();
      req.once('response', (response) => {
        response.on('error', () => {}); // surfaced through readBody's iterator
        response.once('end', () => clearTimeout(timer));
        response.once('close', () => clearTimeout(timer));
        resolve({ response, abort });
      });
      // `on`, not `once`: an aborted body can make the request emit a second error after the first.
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e instanceof ScrapeError ? e : new ScrapeError(`Get "${url}": ${describeNetworkError(e)}`));
      });
      req.end();
    });
  }

  private async readBody(response: IncomingMessage, abort: () => void): Promise<Buffer> {
    const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
    const source =
      encoding === 'gzip'
        ? response.pipe(createGunzip())
        : encoding === 'deflate'
          ? response.pipe(createInflate())
          : response;
    const limit = this.bodySizeLimit;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (limit > 0 && size > limit) {
          const err = new ScrapeError(`body size limit exceeded (limit: ${limit} bytes)`);
          abort();
          throw err;
        }
        chunks.push(chunk);
      }
    } catch (e) {
      if (e instanceof ScrapeError) throw e;
      const cause = (response as { errored?: Error }).errored;
      if (cause instanceof ScrapeError) throw cause;
      throw new ScrapeError(`reading the response failed: ${(e as Error).message}`);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  }
}

function readSecret(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new ScrapeError(
      `cannot read ${key} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

function tlsOptions(config: HttpClientConfig): ConnectionOptions {
  const t = config.tls;
  const read = (path: string | undefined, what: string) => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (e) {
      throw new Error(
        `unable to load specified ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  };
  return {
    ca: read(t.caFile, 'CA cert'),
    cert: read(t.certFile, 'client cert'),
    key: read(t.keyFile, 'client key'),
    servername: t.serverName,
    rejectUnauthorized: !t.insecureSkipVerify,
    minVersion: t.minVersion,
  };
}

function describeNetworkError(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED')
    return `connection refused (${(e as Error).message.replace(/^connect ECONNREFUSED /, 'dial ')})`;
  if (code === 'ENOTFOUND')
    return `no such host (${(e as NodeJS.ErrnoException & { hostname?: string }).hostname ?? ''})`;
  return e.message;
}
