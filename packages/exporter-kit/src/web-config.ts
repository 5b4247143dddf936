import type { Document } from 'yaml';
import { lazyRequire } from './lazy-require.js';

/**
 * The exporter-toolkit web configuration file (--web.config.file): TLS and basic auth users.
 * This module is pure: it turns file text into a validated config or throws ConfigError.
 */
export type ClientAuthType =
  | 'NoClientCert'
  | 'RequestClientCert'
  | 'RequireAnyClientCert'
  | 'VerifyClientCertIfGiven'
  | 'RequireAndVerifyClientCert';

export type TlsVersion = 'TLS10' | 'TLS11' | 'TLS12' | 'TLS13';

export interface TlsServerConfig {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
  clientAuthType: ClientAuthType;
  minVersion: TlsVersion;
  maxVersion?: TlsVersion;
}

export interface WebConfig {
  tls?: TlsServerConfig;
  /** username -> bcrypt hash */
  basicAuthUsers: Map<string, string>;
  /** Extra response headers (http_server_config.headers). */
  headers: Record<string, string>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const CLIENT_AUTH: ClientAuthType[] = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
];
const VERSIONS: TlsVersion[] = ['TLS10', 'TLS11', 'TLS12', 'TLS13'];

const KNOWN: Record<string, string[]> = {
  '': ['tls_server_config', 'http_server_config', 'basic_auth_users'],
  tls_server_config: [
    'cert_file',
    'key_file',
    'client_auth_type',
    'client_ca_file',
    'cipher_suites',
    'curve_preferences',
    'min_version',
    'max_version',
    'prefer_server_cipher_suites',
    'client_allowed_sans',
  ],
  http_server_config: ['http2', 'headers'],
};

export const emptyWebConfig: WebConfig = { basicAuthUsers: new Map(), headers: {} };

/** Parses and validates the file text; `resolve` turns relative paths into paths next to the file. */
export function parseWebConfig(
  text: string,
  fileName: string,
  resolve: (p: string) => string = (p) => p,
): WebConfig {
  const { LineCounter, parseDocument, isMap } = lazyRequire('yaml') as typeof import('yaml');
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (node: unknown) => {
    const range = (node as { range?: [number, number] } | undefined)?.range;
    return range ? `${fileName}:${lines.linePos(range[0]).line}` : fileName;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ConfigError(`${fileName}:${e.linePos?.[0].line ?? 1}: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null || root === undefined) return { ...emptyWebConfig, basicAuthUsers: new Map() };
  if (!isMap(root)) throw new ConfigError(`${at(root)}: the web config must be a mapping`);

  const checkKeys = (map: unknown, section: string) => {
    if (!isMap(map)) throw new ConfigError(`${at(map)}: ${section || 'top level'} must be a mapping`);
    for (const pair of map.items) {
      const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
      if (!KNOWN[section].includes(key)) {
        throw new ConfigError(`${at(pair.key)}: ${section ? `${section}.` : ''}${key}: unknown field`);
      }
    }
  };
  checkKeys(root, '');
  const plain = doc.toJS() as Record<string, unknown>;
  const cfg: WebConfig = { basicAuthUsers: new Map(), headers: {} };

  const tlsNode = root.get('tls_server_config', true);
  if (tlsNode) {
    checkKeys(tlsNode, 'tls_server_config');
    const t = plain.tls_server_config as Record<string, unknown>;
    const str = (k: string) => {
      const v = t[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string')
        throw new ConfigError(`${at(tlsNode)}: tls_server_config.${k}: must be a string`);
      return v;
    };
    const certFile = str('cert_file');
    const keyFile = str('key_file');
    if (!certFile || !keyFile) {
      throw new ConfigError(`${at(tlsNode)}: tls_server_config: cert_file and key_file are both required`);
    }
    const clientAuthType = (str('client_auth_type') ?? 'NoClientCert') as ClientAuthType;
    if (!CLIENT_AUTH.includes(clientAuthType)) {
      throw new ConfigError(
        `${at(tlsNode)}: tls_server_config.client_auth_type: "${clientAuthType}" is not one of ${CLIENT_AUTH.join(', ')}`,
      );
    }
    const version = (k: string, dflt?: TlsVersion) => {
      const v = str(k) ?? dflt;
      if (v !== undefined && !VERSIONS.includes(v as TlsVersion)) {
        throw new ConfigError(
          `${at(tlsNode)}: tls_server_config.${k}: "${v}" is not one of ${VERSIONS.join(', ')}`,
        );
      }
      return v as TlsVersion | undefined;
    };
    const clientCaFile = str('client_ca_file');
    if (clientAuthType === 'RequireAndVerifyClientCert' && !clientCaFile) {
      throw new ConfigError(
        `${at(tlsNode)}: tls_server_config: client_auth_type ${clientAuthType} needs client_ca_file`,
      );
    }
    cfg.tls = {
      certFile: resolve(certFile),
      keyFile: resolve(keyFile),
      clientCaFile: clientCaFile ? resolve(clientCaFile) : undefined,
      clientAuthType,
      minVersion: version('min_version', 'TLS12')!,
      maxVersion: version('max_version'),
    };
  }

  const httpNode = root.get('http_server_config', true);
  if (httpNode) {
    checkKeys(httpNode, 'http_server_config');
    const h = (plain.http_server_config as { headers?: Record<string, unknown> }).headers ?? {};
    for (const [k, v] of Object.entries(h)) cfg.headers[k] = String(v);
  }

  const usersNode = root.get('basic_auth_users', true);
  if (usersNode) {
    if (!isMap(usersNode))
      throw new ConfigError(`${at(usersNode)}: basic_auth_users must map user names to bcrypt hashes`);
    for (const pair of usersNode.items) {
      const user = String((pair.key as { value?: unknown }).value);
      const hash = (pair.value as { value?: unknown } | null)?.value;
      if (typeof hash !== 'string' || !/^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) {
        throw new ConfigError(
          `${at(pair.key)}: basic_auth_users.${user}: not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d ':')`,
        );
      }
      cfg.basicAuthUsers.set(user, hash);
    }
  }
  return cfg;
}
