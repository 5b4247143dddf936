import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { gzipSync } from 'node:zlib';
import type { AllowList } from './allow-list.js';
import type { BasicAuthChecker } from './basic-auth.js';
import type { Logger } from './log.js';
import { UnknownCollectorError } from './metrics-endpoint.js';
import type { WebConfigSource } from './web-config-source.js';

export interface HandlerDeps {
  telemetryPath: string;
  allow: AllowList;
  webConfig: WebConfigSource;
  auth: BasicAuthChecker;
  log: Logger;
  landing(): string;
  /** Renders /metrics; `only` holds the collect[] parameters. */
  metrics(only: string[]): Promise<string>;
  /** Runs once the /metrics answer is written out. */
  afterMetrics?(): void;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

/** Client certificate checks that the TLS handshake itself does not make (see client_auth_type). */
function clientCertProblem(req: IncomingMessage, deps: HandlerDeps): string | undefined {
  const tls = deps.webConfig.tls;
  if (!tls || tls.clientAuthType === 'NoClientCert' || tls.clientAuthType === 'RequestClientCert')
    return undefined;
  const socket = req.socket as TLSSocket;
  const cert = socket.getPeerCertificate?.();
  const hasCert = cert && Object.keys(cert).length > 0;
  if (tls.clientAuthType === 'RequireAnyClientCert' && !hasCert) return 'client certificate required';
  if (tls.clientAuthType === 'VerifyClientCertIfGiven' && hasCert && !socket.authorized) {
    return `client certificate not trusted: ${socket.authorizationError}`;
  }
  return undefined;
}

/** The request pipeline every exporter shares: allow-list, TLS client checks, basic auth, routes, gzip. */
export function createHandler(deps: HandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (!deps.allow.allows(req.socket.remoteAddress)) {
        send(res, 403, 'Forbidden: your address is not in --web.allow\n');
        return;
      }
      const config = deps.webConfig.current();
      for (const [k, v] of Object.entries(config.headers)) res.setHeader(k, v);
      const certProblem = clientCertProblem(req, deps);
      if (certProblem) {
        send(res, 403, `Forbidden: ${certProblem}\n`);
        return;
      }
      if (
        config.basicAuthUsers.size > 0 &&
        !(await deps.auth.check(config.basicAuthUsers, req.headers.authorization))
      ) {
        send(res, 401, 'Unauthorized\n', { 'WWW-Authenticate': 'Basic' });
        return;
      }
      const raw = req.url ?? '/';
      // Prometheus asks for exactly the telemetry path: no URL object to parse it into then.
      const url = raw === deps.telemetryPath ? undefined : new URL(raw, 'http://localhost');
      const pathname = url ? url.pathname : raw;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
        return;
      }
      if (pathname === deps.telemetryPath) {
        let body: string;
        try {
          body = await deps.metrics(url ? url.searchParams.getAll('collect[]') : []);
        } catch (e) {
          if (e instanceof UnknownCollectorError) return send(res, 400, `${e.message}\n`);
          throw e;
        }
        const type = 'text/plain; version=0.0.4; charset=utf-8';
        if (deps.afterMetrics) res.once('finish', deps.afterMetrics);
        if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
          // Synchronous on purpose: a scrape body compresses in about a millisecond, and the
          // asynchronous form starts libuv's four pool threads, which stay for the life of the
          // process (about 0.3 MiB resident).
          const zipped = gzipSync(body);
          res.writeHead(200, {
            'Content-Type': type,
            'Content-Encoding': 'gzip',
            'Content-Length': zipped.length,
          });
          res.end(zipped);
        } else {
          res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
        }
        return;
      }
      if (pathname === '/-/healthy') return send(res, 200, 'Healthy\n');
      if (pathname === '/')
        return send(res, 200, deps.landing(), { 'Content-Type': 'text/html; charset=utf-8' });
      send(res, 404, '404 page not found\n');
    } catch (e) {
      deps.log.error('request failed', { path: req.url, err: (e as Error).message });
      if (!res.headersSent) send(res, 500, `internal error: ${(e as Error).message}\n`);
      else res.destroy();
    }
  };
}
