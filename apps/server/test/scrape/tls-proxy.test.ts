import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@motley/exporter-kit';
import { ManualClock, requireProgram } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ScrapeManager } from '../../src/scrape/scrape-manager.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { FakeExporter, values } from './helpers.js';

const openssl = requireProgram('openssl');

/** A minimal forward proxy: absolute-URI GETs and CONNECT tunnels, recording what it was asked. */
function startProxy(seen: string[]): Promise<Server> {
  const proxy = createServer((req: IncomingMessage, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end();
  });
  proxy.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const up = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

describe.skipIf(!openssl)('TLS and http:// proxies', () => {
  let dir: string;
  let https: Server;
  let proxy: Server;
  let plain: FakeExporter;
  const seen: string[] = [];
  const managers: ScrapeManager[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motley-tls-'));
    execFileSync(
      openssl as string,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=exporter.test',
        '-addext',
        'subjectAltName=DNS:exporter.test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    https = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('secure_metric 7\n');
      },
    );
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    proxy = await startProxy(seen);
    plain = await new FakeExporter().start();
    plain.response = { body: 'plain_metric 3\n' };
  });

  afterAll(async () => {
    await Promise.all(managers.map((m) => m.stop()));
    https.closeAllConnections();
    proxy.closeAllConnections();
    await new Promise((r) => https.close(r));
    await new Promise((r) => proxy.close(r));
    await plain.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function scrapeWith(job: string, target: string) {
    const storage = new MemoryStorage();
    const manager = new ScrapeManager({ appendable: storage, clock: new ManualClock(), log: silentLogger });
    managers.push(manager);
    const file = join(dir, 'p.yml');
    writeFileSync(file, '');
    manager.applyConfig(
      parseConfig(
        `scrape_configs:\n  - job_name: j\n    scrape_interval: 1h\n${job}    static_configs: [{targets: ['${target}']}]\n`,
        file,
      ),
    );
    const loop = manager.activeTargets()[0].loop;
    await loop.scrapeOnce();
    return { storage, state: loop.state };
  }

  const httpsPort = () => (https.address() as AddressInfo).port;
  const proxyPort = () => (proxy.address() as AddressInfo).port;

  it('verifies the server certificate against ca_file with server_name', async () => {
    const { storage, state } = await scrapeWith(
      `    scheme: https\n    tls_config:\n      ca_file: ${join(dir, 'cert.pem')}\n      server_name: exporter.test\n`,
      `127.0.0.1:${httpsPort()}`,
    );
    expect(state.lastError).toBe('');
    expect(values(storage, 'secure_metric')[0].v).toBe(7);
  });

  it('refuses an unknown certificate unless insecure_skip_verify', async () => {
    const refused = await scrapeWith('    scheme: https\n', `127.0.0.1:${httpsPort()}`);
    expect(refused.state.lastError).toMatch(/self[- ]signed certificate/);
    const skipped = await scrapeWith(
      '    scheme: https\n    tls_config:\n      insecure_skip_verify: true\n',
      `127.0.0.1:${httpsPort()}`,
    );
    expect(skipped.state.health).toBe('up');
  });

  it('reports a missing ca_file as the scrape error', async () => {
    const { state } = await scrapeWith(
      `    scheme: https\n    tls_config:\n      ca_file: ${join(dir, 'missing.pem')}\n`,
      `127.0.0.1:${httpsPort()}`,
    );
    expect(state.lastError).toBe(`unable to load specified CA cert ${join(dir, 'missing.pem')}: ENOENT`);
  });

  it('presents cert_file/key_file to a server that requires a client certificate', async () => {
    const cert = readFileSync(join(dir, 'cert.pem'));
    const mtls = createHttpsServer(
      {
        key: readFileSync(join(dir, 'key.pem')),
        cert,
        ca: [cert],
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.end(`client_cert_ok{cn="${peer.subject?.CN}"} 1\n`);
      },
    );
    await new Promise<void>((r) => mtls.listen(0, '127.0.0.1', r));
    try {
      const port = (mtls.address() as AddressInfo).port;
      const tls = `    scheme: https\n    tls_config:\n      ca_file: ${join(dir, 'cert.pem')}\n      server_name: exporter.test\n`;
      const without = await scrapeWith(tls, `127.0.0.1:${port}`);
      expect(without.state.health).toBe('down');
      const withCert = await scrapeWith(
        `${tls}      cert_file: ${join(dir, 'cert.pem')}\n      key_file: ${join(dir, 'key.pem')}\n`,
        `127.0.0.1:${port}`,
      );
      expect(withCert.state.lastError).toBe('');
      expect(values(withCert.storage, 'client_cert_ok', { cn: 'exporter.test' })[0].v).toBe(1);
    } finally {
      mtls.closeAllConnections();
      await new Promise((r) => mtls.close(r));
    }
  });

  it('sends http targets to an http:// proxy as absolute URIs and tunnels https with CONNECT', async () => {
    seen.length = 0;
    const viaProxy = `    proxy_url: http://127.0.0.1:${proxyPort()}\n`;
    const a = await scrapeWith(viaProxy, plain.address);
    expect(values(a.storage, 'plain_metric')[0].v).toBe(3);
    const b = await scrapeWith(
      `${viaProxy}    scheme: https\n    tls_config:\n      ca_file: ${join(dir, 'cert.pem')}\n      server_name: exporter.test\n`,
      `127.0.0.1:${httpsPort()}`,
    );
    expect(b.state.lastError).toBe('');
    expect(values(b.storage, 'secure_metric')[0].v).toBe(7);
    expect(seen).toEqual([`GET http://${plain.address}/metrics`, `CONNECT 127.0.0.1:${httpsPort()}`]);
  });
});
