import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { BasicAuthChecker, parseBasicAuth } from './basic-auth.js';
import { parseWebConfig } from './web-config.js';

const HASH = bcrypt.hashSync('secret', 4);

describe('parseWebConfig', () => {
  it('reads TLS settings and users, resolving paths next to the file', () => {
    const cfg = parseWebConfig(
      `tls_server_config:
  cert_file: server.crt
  key_file: /abs/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  min_version: TLS13
basic_auth_users:
  alice: ${HASH}
http_server_config:
  headers:
    X-Frame-Options: deny
`,
      'web.yml',
      (p) => (p.startsWith('/') ? p : `/etc/x/${p}`),
    );
    expect(cfg.tls).toEqual({
      certFile: '/etc/x/server.crt',
      keyFile: '/abs/server.key',
      clientCaFile: '/etc/x/ca.crt',
      clientAuthType: 'RequireAndVerifyClientCert',
      minVersion: 'TLS13',
      maxVersion: undefined,
    });
    expect(cfg.basicAuthUsers.get('alice')).toBe(HASH);
    expect(cfg.headers).toEqual({ 'X-Frame-Options': 'deny' });
  });

  it('accepts an empty file as no TLS and no users', () => {
    const cfg = parseWebConfig('', 'web.yml');
    expect(cfg.tls).toBeUndefined();
    expect(cfg.basicAuthUsers.size).toBe(0);
  });

  it.each([
    [
      'tls_server_config:\n  cert_file: a\n  kee_file: b\n',
      /web.yml:3: tls_server_config.kee_file: unknown field/,
    ],
    ['tls_server_config:\n  cert_file: a\n', /cert_file and key_file are both required/],
    ['basic_auth_users:\n  bob: plaintext\n', /web.yml:2: basic_auth_users.bob: not a bcrypt hash/],
    ['tls_server:\n  x: 1\n', /web.yml:1: tls_server: unknown field/],
    [
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Sometimes\n',
      /client_auth_type: "Sometimes"/,
    ],
    ['tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: SSL3\n', /min_version: "SSL3"/],
    ['basic_auth_users: [\n', /web.yml:\d+:/],
  ])('rejects %j with a line-numbered error', (text, msg) => {
    expect(() => parseWebConfig(text, 'web.yml')).toThrow(msg);
  });
});

describe('BasicAuthChecker', () => {
  const users = new Map([['alice', HASH]]);
  const header = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  it('accepts the right password and refuses wrong ones, unknown users and garbage', async () => {
    const auth = new BasicAuthChecker();
    expect(await auth.check(users, header('alice', 'secret'))).toBe(true);
    expect(await auth.check(users, header('alice', 'secret'))).toBe(true);
    expect(await auth.check(users, header('alice', 'wrong'))).toBe(false);
    expect(await auth.check(users, header('mallory', 'secret'))).toBe(false);
    expect(await auth.check(users, 'Bearer xyz')).toBe(false);
    expect(await auth.check(users, undefined)).toBe(false);
  });

  it('parses passwords containing colons', () => {
    expect(parseBasicAuth(header('u', 'a:b'))).toEqual({ user: 'u', password: 'a:b' });
  });
});
