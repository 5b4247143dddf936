import {
  type Clock,
  type FlagSpec,
  type Logger,
  type ParsedFlags,
  parseListenAddress,
  UsageError,
} from '@motley/exporter-kit';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { scrapeFlags } from '../config/flags.js';
import { loadConfigFile } from '../config/load.js';
import { Engine } from '../promql/engine.js';
import { engineOptionsFromFlags, queryFlags } from '../promql/flags.js';
import { IngestMetrics } from '../remote/ingest-metrics.js';
import { collectGarbageAfterBurst } from '../runtime/heap.js';
import { ScrapeManager } from '../scrape/scrape-manager.js';
import { ScrapeService } from '../scrape/scrape-service.js';
import { storageFlags } from '../storage/flags.js';
import type { Storage } from '../storage/interface.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { VERSION } from '../version.js';
import { registerIngestRoutes } from '../web/api/v1/ingest-routes.js';
import { registerQueryRoutes } from '../web/api/v1/query-routes.js';
import { HttpServer } from '../web/http-server.js';
import { Router } from '../web/router.js';
import { registerScrapeRoutes } from '../web/scrape-routes.js';
import { registerStatusRoutes } from '../web/status-routes.js';
import { commonFlags } from './flags.js';

/** Every flag of the server role, in --help order. */
export const serverFlags: FlagSpec[] = [...commonFlags, ...scrapeFlags, ...queryFlags, ...storageFlags];

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
  scrape: ScrapeManager;
  /** Re-reads --config.file (SIGHUP); rejects and keeps the running config when it is invalid. */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** The composition root of the server role: picks the concrete implementations and wires them. */
export async function startServer({ flags, log, clock }: ServerDeps): Promise<RunningServer> {
  const addresses = flags.strings('web.listen-address').map(parseListenAddress);
  if (addresses.length === 0) throw new UsageError('--web.listen-address: at least one address is required');
  // A bad --config.file stops the start before storage opens or anything listens.
  const configFile = flags.string('config.file') || undefined;
  if (configFile) {
    try {
      loadConfigFile(configFile);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'motley_' });

  const storage: Storage = new SqliteStorage({
    path: flags.string('storage.path'),
    retentionMs: flags.duration('storage.retention'),
    clock,
    log,
    registry,
    onWritesPaused: () => {
      const t0 = performance.now();
      if (collectGarbageAfterBurst())
        log.debug('collected garbage after a pause in writes', { ms: (performance.now() - t0).toFixed(1) });
    },
  });
  await storage.start?.();

  const router = new Router();
  registerStatusRoutes(router, { registry, version: VERSION });
  registerIngestRoutes(router, {
    appendable: storage,
    queryable: storage,
    maxRequestBytes: flags.number('ingest.max-request-bytes'),
    metrics: new IngestMetrics(registry),
    clock,
  });
  const engine = new Engine({ ...engineOptionsFromFlags(flags), now: () => clock.now() });
  registerQueryRoutes(router, { queryable: storage, engine, now: () => clock.now() });
  const scrape = new ScrapeManager({
    appendable: storage,
    clock,
    log,
    registry,
    selfScrape: {
      interval: flags.duration('self-scrape-interval') || 0,
      fetch: async () => ({ contentType: registry.contentType, body: Buffer.from(await registry.metrics()) }),
    },
  });
  let scrapeService: ScrapeService | undefined;
  const reload = async () => {
    if (!scrapeService) throw new Error('the server is still starting');
    await scrapeService.reload();
  };
  registerScrapeRoutes(router, { targets: scrape, reload });

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
  scrapeService = new ScrapeService(scrape, log, configFile, new URL(urls[0]).host);
  try {
    scrapeService.start();
  } catch (e) {
    await http.close();
    await storage.stop();
    throw new UsageError((e as Error).message);
  }

  return {
    urls,
    storage,
    registry,
    scrape,
    reload,
    async stop() {
      await scrape.stop();
      await http.close();
      await storage.stop();
    },
  };
}
