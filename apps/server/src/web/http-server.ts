import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatHostPort, type ListenAddress, type Logger, RuntimeError } from '@motley/exporter-kit';
import { HttpError, sendApiError, sendText } from './http-util.js';
import type { Router } from './router.js';

/** Serves a Router on one or more listen addresses. */
export class HttpServer {
  private readonly servers: Server[] = [];

  constructor(
    private readonly router: Router,
    private readonly log: Logger,
  ) {}

  async listen(addresses: ListenAddress[]): Promise<string[]> {
    const urls: string[] = [];
    for (const addr of addresses) {
      const server = createServer((req, res) => this.handle(req, res));
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) =>
          reject(
            new RuntimeError(
              `listen tcp ${addr.text}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`,
            ),
          ),
        );
        server.listen(addr.port, addr.host, () => resolve());
      });
      this.servers.push(server);
      const bound = server.address() as AddressInfo;
      const host = addr.host ?? '127.0.0.1';
      urls.push(
        `http://${formatHostPort(host === '::' ? '::1' : host === '0.0.0.0' ? '127.0.0.1' : host, bound.port)}`,
      );
    }
    return urls;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const found = this.router.match(req.method ?? 'GET', pathname);
    try {
      if (found === undefined) return sendText(res, 404, '404 page not found\n');
      if (found === 'method') return sendText(res, 405, `method ${req.method} not allowed on ${pathname}\n`);
      await found.handler(req, res, found.params);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const api = pathname.startsWith('/api/');
      if (e instanceof HttpError) {
        if (api) sendApiError(res, e.status, e.errorType, e.message);
        else sendText(res, e.status, `${e.message}\n`);
        return;
      }
      this.log.error('request failed', { path: pathname, err: (e as Error).message });
      if (api) sendApiError(res, 500, 'internal', (e as Error).message);
      else sendText(res, 500, `internal error: ${(e as Error).message}\n`);
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    this.servers.length = 0;
  }
}
