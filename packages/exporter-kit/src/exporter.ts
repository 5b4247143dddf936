import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { AllowList } from './allow-list.js';
import { BasicAuthChecker } from './basic-auth.js';
import { type Clock, systemClock } from './clock.js';
import { commonFlags } from './common-flags.js';
import { exitCodeFor, oneLine, RuntimeError, UsageError } from './errors.js';
import type { ExporterDefinition, ExporterInstance } from './exporter-definition.js';
import { gauge, type MetricFamily } from './exposition.js';
import { type FlagSpec, formatHelp, type ParsedFlags, parseFlags } from './flags.js';
import { createHandler } from './http-handler.js';
import { landingPage } from './landing-page.js';
import { lazyRequire } from './lazy-require.js';
import { formatHostPort, type ListenAddress, parseListenAddress } from './listen-address.js';
import { createLogger, type Logger, parseLogLevel } from './log.js';
import { scrape } from './metrics-endpoint.js';
import { processFamilies } from './process-metrics.js';
import { WebConfigSource } from './web-config-source.js';

export interface RunningExporter {
  /** One base URL per listener, e.g. http://127.0.0.1:9100 (https when TLS is on). */
  urls: string[];
  instance: ExporterInstance;
  registry: Registry;
  /** Collect once and render, as /metrics would. */
  scrapeText(only?: string[]): Promise<{ text: string; failed: string[] }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  log?: Logger;
  /** Skip process_* metrics (tests that compare exact output). */
  processMetrics?: boolean;
}

export function allFlags(def: ExporterDefinition): FlagSpec[] {
  const specs = [...commonFlags(def.defaultListenAddress), ...(def.flags ?? [])];
  const shortFor = new Map(Object.entries(def.shortFlags ?? {}).map(([alias, name]) => [name, alias]));
  return shortFor.size === 0
    ? specs
    : specs.map((s) => (shortFor.has(s.name) ? { ...s, short: shortFor.get(s.name) } : s));
}

/** The exporter's prom-client Registry, created (and prom-client loaded) only when asked for. */
class LazyRegistry {
  private registry: Registry | undefined;
  get(): Registry {
    if (!this.registry) {
      const promClient = lazyRequire('prom-client') as typeof import('prom-client');
      this.registry = new promClient.Registry();
    }
    return this.registry;
  }
  get created(): Registry | undefined {
    return this.registry;
  }
}

function buildInfoFamily(def: ExporterDefinition): MetricFamily {
  return gauge(
    def.buildInfoName ?? `${def.namespace}_build_info`,
    `A metric with a constant '1' value labeled by version and node version from which ${def.name} was built.`,
    [{ labels: { version: def.version, nodeversion: process.version, arch: process.arch }, value: 1 }],
  );
}

/** Sets the exporter up from parsed flags without listening (used by --stdout and by start). */
async function setUp(def: ExporterDefinition, flags: ParsedFlags, opts: StartOptions) {
  const clock = opts.clock ?? systemClock;
  const log =
    opts.log ??
    createLogger(
      parseLogLevel(flags.string('log.level')),
      undefined,
      flags.string('log.format') === 'json' ? 'json' : 'logfmt',
    );
  const registry = new LazyRegistry();
  const instance = await def.setup({
    flags,
    get registry() {
      return registry.get();
    },
    log,
    clock,
  });
  const buildInfo = buildInfoFamily(def);
  const collectors = instance.collectors ?? [];
  const withProcess = opts.processMetrics ?? true;
  const scrapeText = async (only?: string[]) => {
    const { text, outcomes } = await scrape({
      collectors,
      extraFamilies: () => (withProcess ? [buildInfo, ...processFamilies()] : [buildInfo]),
      registry: registry.created,
      namespace: def.namespace,
      timeoutMs: def.collectorTimeoutMs ?? 10_000,
      clock,
      log,
      only,
    });
    return { text, failed: outcomes.filter((o) => !o.ok).map((o) => o.name) };
  };
  return { clock, log, registry, instance, scrapeText };
}

async function listenOn(server: Server, addr: ListenAddress): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const reason =
        e.code === 'EADDRINUSE'
          ? 'address already in use (another exporter running? pick another --web.listen-address)'
          : e.code === 'EACCES'
            ? 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)'
            : e.code === 'EADDRNOTAVAIL'
              ? 'address not available on this host'
              : e.message;
      reject(new RuntimeError(`listen tcp ${addr.text}: ${reason}`));
    });
    server.listen(addr.port, addr.host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Starts an exporter from command-line arguments (without the program name). */
export async function startExporter(
  def: ExporterDefinition,
  argv: string[],
  opts: StartOptions = {},
): Promise<RunningExporter> {
  const flags = parseFlags(allFlags(def), argv);
  const addresses = flags.strings('web.listen-address').map(parseListenAddress);
  if (addresses.length === 0) throw new UsageError('--web.listen-address: give at least one address');
  const allow = new AllowList(flags.strings('web.allow'));
  const telemetryPath = flags.string('web.telemetry-path');
  if (!telemetryPath.startsWith('/')) throw new UsageError('--web.telemetry-path must start with "/"');
  const { log, registry, instance, scrapeText } = await setUp(def, flags, opts);
  let webConfig: WebConfigSource;
  try {
    webConfig = new WebConfigSource(flags.optionalString('web.config.file'), log);
  } catch (e) {
    await instance.stop?.();
    throw e;
  }

  const handler = createHandler({
    telemetryPath,
    allow,
    webConfig,
    auth: new BasicAuthChecker(),
    log,
    landing: () =>
      landingPage({
        name: def.name,
        version: def.version,
        description: def.description,
        telemetryPath,
        status: instance.status?.() ?? [],
      }),
    metrics: async (only) => (await scrapeText(only)).text,
    afterMetrics: instance.afterScrape && (() => instance.afterScrape?.()),
  });

  const servers: Server[] = [];
  const urls: string[] = [];
  const tls = webConfig.tls;
  const stop = async () => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    await instance.stop?.();
  };
  try {
    for (const addr of addresses) {
      let server: Server;
      if (tls) {
        const { createServer: createHttpsServer } = await import('node:https');
        const https = createHttpsServer(
          {
            ...webConfig.initialSecureOptions(),
            requestCert: tls.clientAuthType !== 'NoClientCert',
            rejectUnauthorized: tls.clientAuthType === 'RequireAndVerifyClientCert',
          },
          (req, res) => {
            // Certificate rotation: new connections use the new files once they change.
            const changed = webConfig.changedSecureOptions();
            if (changed) https.setSecureContext(changed);
            return handler(req, res);
          },
        );
        server = https;
      } else {
        server = createServer(handler);
      }
      servers.push(server);
      const port = await listenOn(server, addr);
      const host =
        addr.host === undefined || addr.host === '::'
          ? '::1'
          : addr.host === '0.0.0.0'
            ? '127.0.0.1'
            : addr.host;
      urls.push(`${tls ? 'https' : 'http'}://${formatHostPort(host, port)}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  log.info('listening', { address: urls.join(','), tls: tls !== undefined });
  return {
    urls,
    instance,
    get registry() {
      return registry.get();
    },
    scrapeText,
    stop,
  };
}

/** The whole life of an exporter process: flags, help/version/stdout, serve until SIGTERM. */
export async function runExporterMain(def: ExporterDefinition, argv = process.argv.slice(2)): Promise<never> {
  const exit = (code: number): never => process.exit(code);
  try {
    const command = argv[0] && def.commands?.[argv[0]];
    if (command) return exit(await command(argv.slice(1)));
    const flags = parseFlags(allFlags(def), argv);
    if (flags.boolean('help')) {
      process.stdout.write(formatHelp(def.name, def.description, allFlags(def), def.usage));
      return exit(0);
    }
    if (flags.boolean('version')) {
      process.stdout.write(
        `${def.name} ${def.version} (node ${process.version}, ${process.platform}/${process.arch})\n`,
      );
      return exit(0);
    }
    if (flags.boolean('stdout')) {
      const { instance, scrapeText } = await setUp(def, flags, {});
      const { text, failed } = await scrapeText();
      await instance.stop?.();
      process.stdout.write(text);
      if (failed.length) process.stderr.write(`${def.name}: collectors failed: ${failed.join(', ')}\n`);
      return exit(failed.length ? 1 : 0);
    }
    const running = await startExporter(def, argv);
    const shutdown = () => {
      setTimeout(() => exit(0), 900).unref();
      running.stop().then(
        () => exit(0),
        () => exit(0),
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
    return await new Promise<never>(() => {});
  } catch (e) {
    process.stderr.write(`${def.name}: error: ${oneLine(e)}\n`);
    return exit(exitCodeFor(e));
  }
}
