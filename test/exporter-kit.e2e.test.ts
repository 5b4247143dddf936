import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { promtoolCheckMetrics, sampleValue, tempDir } from '@motley/exporter-kit/testing';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCerts, type TestCerts } from './helpers/certs.js';
import { basic, get } from './helpers/http.js';
import { runProcess, type Started, startProcess } from './helpers/process.js';

const EXAMPLE = new URL('./fixtures/example-exporter.mjs', import.meta.url).pathname;
const LISTENING = /msg=listening address=([^,\s]+)/;

function startExample(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  return startProcess(process.execPath, [EXAMPLE, '--web.listen-address=127.0.0.1:0', ...args], {
    waitFor: LISTENING,
    env,
  });
}

describe('an exporter process with TLS and basic auth from a web config file', () => {
  const tmp = tempDir();
  let certs: TestCerts;
  let exporter: Started;
  let configFile: string;
  const hash = (pw: string) => bcrypt.hashSync(pw, 4);

  beforeAll(async () => {
    certs = makeCerts(tmp.path);
    configFile = join(tmp.path, 'web.yml');
    writeFileSync(
      configFile,
      `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prometheus: ${hash('s3cret')}\n`,
    );
    exporter = await startExample([`--web.config.file=${configFile}`]);
  });
  afterAll(async () => {
    await exporter?.stop();
    tmp.cleanup();
  });

  it('serves metrics over TLS to the right user', async () => {
    expect(exporter.match).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await get(`${exporter.match}/metrics`, {
      ca: certs.read('caCert'),
      headers: basic('prometheus', 's3cret'),
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('version=0.0.4');
    expect(sampleValue(r.text, 'example_answer')).toBe(42);
    expect(sampleValue(r.text, 'example_scrape_collector_success', { collector: 'answer' })).toBe(1);
  });

  it('answers 401 with WWW-Authenticate to missing or wrong credentials and unknown users', async () => {
    for (const headers of [{}, basic('prometheus', 'wrong'), basic('nobody', 's3cret')]) {
      const r = await get(`${exporter.match}/metrics`, { ca: certs.read('caCert'), headers });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Basic');
      expect(r.text).not.toContain('example_answer');
    }
  });

  it('refuses plain HTTP on the TLS port', async () => {
    const plain = exporter.match.replace('https:', 'http:');
    await expect(get(`${plain}/metrics`)).rejects.toThrow();
  });

  it('re-reads the file when it changes and keeps the last good one when it breaks', async () => {
    writeFileSync(
      configFile,
      `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  grafana: ${hash('other')}\n`,
    );
    const ca = certs.read('caCert');
    expect((await get(`${exporter.match}/metrics`, { ca, headers: basic('grafana', 'other') })).status).toBe(
      200,
    );
    expect(
      (await get(`${exporter.match}/metrics`, { ca, headers: basic('prometheus', 's3cret') })).status,
    ).toBe(401);
    writeFileSync(configFile, 'basic_auth_users: [broken\n');
    expect((await get(`${exporter.match}/metrics`, { ca, headers: basic('grafana', 'other') })).status).toBe(
      200,
    );
    await expect
      .poll(() => exporter.output(), { timeout: 2000 })
      .toMatch(/web config is invalid, keeping the last good one/);
  });
});

describe('client certificates', () => {
  const tmp = tempDir();
  let certs: TestCerts;
  let exporter: Started;

  beforeAll(async () => {
    certs = makeCerts(tmp.path);
    const file = join(tmp.path, 'web.yml');
    writeFileSync(
      file,
      'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n',
    );
    exporter = await startExample([`--web.config.file=${file}`]);
  });
  afterAll(async () => {
    await exporter?.stop();
    tmp.cleanup();
  });

  it('admits a client with a certificate from the CA and refuses one without', async () => {
    const ca = certs.read('caCert');
    const ok = await get(`${exporter.match}/metrics`, {
      ca,
      cert: certs.read('clientCert'),
      key: certs.read('clientKey'),
    });
    expect(ok.status).toBe(200);
    await expect(get(`${exporter.match}/metrics`, { ca })).rejects.toThrow();
  });
});

describe('--web.allow', () => {
  let exporter: Started;
  beforeAll(async () => {
    exporter = await startExample(['--web.allow=127.0.0.2/32,::1']);
  });
  afterAll(async () => {
    await exporter?.stop();
  });

  it('serves allowed sources and answers 403 to everyone else', async () => {
    const allowed = await get(`${exporter.match}/metrics`, { localAddress: '127.0.0.2' });
    expect(allowed.status).toBe(200);
    const refused = await get(`${exporter.match}/metrics`, { localAddress: '127.0.0.1' });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('example_answer');
  });
});

describe('[::]:PORT', () => {
  it('serves IPv6 and IPv4 on one dual-stack listener', async () => {
    const exporter = await startProcess(process.execPath, [EXAMPLE, '--web.listen-address=[::]:0'], {
      waitFor: LISTENING,
    });
    try {
      const port = new URL(exporter.match).port;
      expect((await get(`http://[::1]:${port}/metrics`)).status).toBe(200);
      expect((await get(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await exporter.stop();
    }
  });
});

describe('an exporter process over plain HTTP', () => {
  let exporter: Started;
  beforeAll(async () => {
    exporter = await startExample(['--web.listen-address=[::1]:0'], { EXAMPLE_FAIL: '1' });
  });
  afterAll(async () => {
    await exporter?.stop();
  });

  it('listens on every --web.listen-address, IPv6 included', () => {
    expect(exporter.output()).toMatch(/address=http:\/\/127\.0\.0\.1:\d+,http:\/\/\[::1\]:\d+/);
  });

  it('has a landing page, a health endpoint and gzip when asked', async () => {
    const landing = await get(`${exporter.match}/`);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('href="/metrics"');
    expect((await get(`${exporter.match}/-/healthy`)).status).toBe(200);
    const zipped = await get(`${exporter.match}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toContain('example_answer');
  });

  it('costs a failing collector only its own series', async () => {
    const r = await get(`${exporter.match}/metrics`);
    expect(r.status).toBe(200);
    expect(sampleValue(r.text, 'example_scrape_collector_success', { collector: 'flaky' })).toBe(0);
    expect(sampleValue(r.text, 'example_flaky')).toBeUndefined();
    expect(sampleValue(r.text, 'example_answer')).toBe(42);
  });

  it('filters collectors with collect[] and refuses unknown names', async () => {
    const r = await get(`${exporter.match}/metrics?collect[]=slow`);
    expect(sampleValue(r.text, 'example_slow')).toBe(1);
    expect(sampleValue(r.text, 'example_answer')).toBeUndefined();
    expect((await get(`${exporter.match}/metrics?collect[]=nope`)).status).toBe(400);
  });

  it('produces output promtool accepts', async () => {
    const r = await get(`${exporter.match}/metrics`);
    const check = promtoolCheckMetrics(r.text);
    if (!check) return;
    expect(check.output).toBe('');
    expect(check.ok).toBe(true);
  });

  it('exits 0 within a second of SIGTERM', async () => {
    const started = Date.now();
    const code = await exporter.stop();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('the command line', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runProcess(process.execPath, [EXAMPLE, ...args], { env });

  it('--stdout prints the metrics and exits 0, or 1 when a collector failed', async () => {
    const ok = await run(['--stdout']);
    expect(ok.code).toBe(0);
    expect(sampleValue(ok.stdout, 'example_answer')).toBe(42);
    const failed = await run(['--stdout', '--example.answer=7'], { EXAMPLE_HANG: '1' });
    expect(failed.code).toBe(1);
    expect(sampleValue(failed.stdout, 'example_answer')).toBe(7);
    expect(failed.stderr).toContain('collectors failed: slow');
  });

  it('--help lists every flag with its default; --version prints the version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--web.listen-address',
      '--web.telemetry-path',
      '--web.config.file',
      '--web.allow',
      '--log.level',
      '--stdout',
      '--example.answer',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toContain('(default: 127.0.0.1:9999)');
    expect((await run(['--version'])).stdout).toMatch(/^example-exporter 0\.0\.1 /);
  });

  it.each([
    [['--no-such-flag'], 2, /^example-exporter: error: unknown flag --no-such-flag \(see --help\)\n$/],
    [['--web.listen-address=nope'], 2, /missing port/],
    [['--web.allow=10.0.0.0/99'], 2, /invalid prefix length/],
    [
      ['--web.config.file=/does/not/exist.yml'],
      2,
      /cannot read web config file \/does\/not\/exist.yml: ENOENT/,
    ],
  ])('%j fails with one line and exit code %i', async (args, code, message) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unreadable certificate and a broken web config are exit 2, one line each', async () => {
    const tmp = tempDir();
    try {
      const missingCert = join(tmp.path, 'a.yml');
      writeFileSync(missingCert, 'tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n');
      const r1 = await run([`--web.config.file=${missingCert}`]);
      expect(r1.code).toBe(2);
      expect(r1.stderr).toMatch(/cannot read cert_file .*nope\.crt: ENOENT/);
      const broken = join(tmp.path, 'b.yml');
      writeFileSync(broken, 'basic_auth_users:\n  u: notahash\n');
      const r2 = await run([`--web.config.file=${broken}`]);
      expect(r2.code).toBe(2);
      expect(r2.stderr).toMatch(/b\.yml:2: basic_auth_users\.u: not a bcrypt hash/);
      for (const r of [r1, r2]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  });

  it('a port in use is exit 1 with one line', async () => {
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', () => res()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await run([`--web.listen-address=127.0.0.1:${port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`listen tcp 127.0.0.1:${port}: address already in use`));
      expect(
        r.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('ts=')),
      ).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });
});
