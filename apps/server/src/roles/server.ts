import {
  type Clock,
  type FlagSpec,
  type Logger,
  type ParsedFlags,
  parseListenAddress,
  UsageError,
} from '@motley/exporter-kit';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Storage } from '../storage/interface.js';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import { VERSION } from '../version.js';
import { HttpServer } from '../web/http-server.js';
import { Router } from '../web/router.js';
import { registerStatusRoutes } from '../web/status-routes.js';
import { commonFlags } from './flags.js';

/** Every flag of the server role, in --help order. */
export const serverFlags: FlagSpec[] = [...commonFlags];

export interface ServerDeps {
  flags: ParsedFlags;
  log: Logger;
  clock: Clock;
}

export interface RunningServer {
  /** Base URLs, one per listen address. */
  urls: string[];
  storage: Storage;
  registry: Registry;
  stop(): Promise<void>;
}

/** The composition root of the server role: picks the concrete implementations and wires them. */
export async function startServer({ flags, log }: ServerDeps): Promise<RunningServer> {
  const addresses = flags.strings('web.listen-address').map(parseListenAddress);
  if (addresses.length === 0) throw new UsageError('--web.listen-address: at least one address is required');

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'motley_' });

  const storage: Storage = new MemoryStorage();
  await storage.start?.();

  const router = new Router();
  registerStatusRoutes(router, { registry, version: VERSION });

  const http = new HttpServer(router, log);
  let urls: string[];
  try {
    urls = await http.listen(addresses);
  } catch (e) {
    await http.close();
    await storage.stop();
    throw e;
  }
  for (const a of addresses) {
    if (a.host !== '127.0.0.1' && a.host !== '::1' && a.host !== 'localhost') {
      log.warn('listening on a non-loopback address without authentication', { address: a.text });
    }
  }
  log.info('server started', { version: VERSION, urls: urls.join(',') });

  return {
    urls,
    storage,
    registry,
    async stop() {
      await http.close();
      await storage.stop();
    },
  };
}
