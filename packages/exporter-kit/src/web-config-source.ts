import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import { UsageError } from './errors.js';
import type { Logger } from './log.js';
import {
  ConfigError,
  emptyWebConfig,
  parseWebConfig,
  type TlsServerConfig,
  type WebConfig,
} from './web-config.js';

const TLS_VERSION = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

function mtimeKey(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

/**
 * The web config file, re-read when it changes (checked per request, like exporter-toolkit).
 * A broken file at start is a UsageError; a broken file later is logged and the last good
 * config stays in force.
 */
export class WebConfigSource {
  private config: WebConfig = emptyWebConfig;
  private fileKey = '';
  private tlsKey = '';
  private secureOptions: SecureContextOptions | undefined;

  constructor(
    readonly path: string | undefined,
    private readonly log: Logger,
  ) {
    if (!path) return;
    try {
      this.load();
      if (this.config.tls) this.secureOptions = readTlsFiles(this.config.tls);
    } catch (e) {
      throw new UsageError(e instanceof ConfigError ? e.message : `web config: ${(e as Error).message}`);
    }
  }

  private load(): void {
    const path = this.path!;
    const key = mtimeKey(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(
        `cannot read web config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    this.config = parseWebConfig(text, path, (p) => resolve(dirname(path), p));
    this.fileKey = key;
    if (this.config.tls) this.tlsKey = tlsFilesKey(this.config.tls);
  }

  /** The config in force, re-reading the file first if it changed. */
  current(): WebConfig {
    if (this.path && mtimeKey(this.path) !== this.fileKey) {
      const before = this.config;
      try {
        this.load();
        this.log.info('reloaded web config', { file: this.path });
      } catch (e) {
        this.fileKey = mtimeKey(this.path);
        this.config = before;
        this.log.error('web config is invalid, keeping the last good one', { err: (e as Error).message });
      }
    }
    return this.config;
  }

  get tls(): TlsServerConfig | undefined {
    return this.config.tls;
  }

  /** Secure context options when TLS is on; new ones (cert rotation) when files changed, else undefined. */
  changedSecureOptions(): SecureContextOptions | undefined {
    const tls = this.current().tls;
    if (!tls) return undefined;
    const key = tlsFilesKey(tls);
    if (key === this.tlsKey) return undefined;
    try {
      this.secureOptions = readTlsFiles(tls);
      this.tlsKey = key;
      return this.secureOptions;
    } catch (e) {
      this.tlsKey = key;
      this.log.error('cannot reload TLS certificate, keeping the last good one', {
        err: (e as Error).message,
      });
      return undefined;
    }
  }

  initialSecureOptions(): SecureContextOptions | undefined {
    return this.secureOptions;
  }
}

function tlsFilesKey(t: TlsServerConfig): string {
  return [t.certFile, t.keyFile, t.clientCaFile ?? ''].map((f) => (f ? `${f}@${mtimeKey(f)}` : '')).join('|');
}

function readTlsFiles(t: TlsServerConfig): SecureContextOptions {
  const read = (what: string, f: string) => {
    try {
      return readFileSync(f);
    } catch (e) {
      throw new ConfigError(
        `cannot read ${what} ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  };
  const opts: SecureContextOptions = {
    cert: read('cert_file', t.certFile),
    key: read('key_file', t.keyFile),
    minVersion: TLS_VERSION[t.minVersion],
    maxVersion: t.maxVersion ? TLS_VERSION[t.maxVersion] : undefined,
  };
  if (t.clientCaFile) opts.ca = read('client_ca_file', t.clientCaFile);
  return opts;
}
