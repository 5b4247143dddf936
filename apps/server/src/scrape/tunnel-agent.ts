import { Agent, type AgentOptions, type ClientRequestArgs, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { SocksClient } from 'socks';

/** Opens a raw TCP stream to host:port through a proxy. */
export type Tunnel = (host: string, port: number, timeoutMs: number) => Promise<Socket>;

/**
 * An http.Agent whose connections go through a tunnel (SOCKS5 or HTTP CONNECT) and, for https
 * targets, TLS on top. Keep-alive works as usual: an idle tunnelled socket is reused.
 */
export class TunnelAgent extends Agent {
  constructor(
    private readonly tunnel: Tunnel,
    private readonly tls: ConnectionOptions | undefined,
    private readonly connectTimeoutMs: number,
    options: AgentOptions,
  ) {
    super(options);
    // http.request refuses an agent whose protocol differs from the URL's.
    (this as unknown as { protocol: string }).protocol = tls ? 'https:' : 'http:';
  }

  override createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): undefined {
    const host = stripBrackets(options.hostname ?? options.host ?? 'localhost');
    const port = Number(options.port);
    this.tunnel(host, port, this.connectTimeoutMs).then(
      (socket) => {
        if (!this.tls) return callback?.(null, socket);
        const secure = tlsConnect({
          ...this.tls,
          socket,
          servername: this.tls.servername ?? (isIp(host) ? undefined : host),
        });
        callback?.(null, secure);
      },
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** A SOCKS5 tunnel (RFC 1928, with RFC 1929 username/password from the proxy URL). */
export function socks5Tunnel(proxy: URL): Tunnel {
  return async (host, port, timeoutMs) => {
    try {
      const { socket } = await SocksClient.createConnection({
        proxy: {
          host: stripBrackets(proxy.hostname),
          port: Number(proxy.port || 1080),
          type: 5,
          userId: proxy.username ? decodeURIComponent(proxy.username) : undefined,
          password: proxy.password ? decodeURIComponent(proxy.password) : undefined,
        },
        command: 'connect',
        destination: { host, port },
        timeout: timeoutMs,
      });
      return socket;
    } catch (e) {
      throw new Error(`socks5 proxy ${proxy.host}: ${(e as Error).message}`);
    }
  };
}

/** An HTTP CONNECT tunnel through an http:// proxy. */
export function httpConnectTunnel(proxy: URL): Tunnel {
  return (host, port, timeoutMs) =>
    new Promise((resolve, reject) => {
      const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const headers: Record<string, string> = { Host: target };
      if (proxy.username) {
        const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
        headers['Proxy-Authorization'] = `Basic ${Buffer.from(auth).toString('base64')}`;
      }
      const req = httpRequest({
        host: stripBrackets(proxy.hostname),
        port: Number(proxy.port || 80),
        method: 'CONNECT',
        path: target,
        headers,
        timeout: timeoutMs,
      });
      req.once('connect', (res, socket) => {
        if (res.statusCode === 200) resolve(socket);
        else {
          socket.destroy();
          reject(new Error(`proxy ${proxy.host} refused CONNECT ${target}: HTTP ${res.statusCode}`));
        }
      });
      req.once('timeout', () => req.destroy(new Error(`proxy ${proxy.host}: CONNECT timed out`)));
      req.once('error', (e) => reject(new Error(`proxy ${proxy.host}: ${e.message}`)));
      req.end();
    });
}
