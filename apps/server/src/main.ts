#!/usr/bin/env node
import {
  createLogger,
  exitCodeFor,
  formatHelp,
  oneLine,
  parseFlags,
  parseLogLevel,
  systemClock,
  UsageError,
} from '@motley/exporter-kit';
import { checkConfig } from './config/check.js';
import { serverFlags, startServer } from './roles/server.js';
import { enableCollectionAfterBursts, fixYoungGenerationSize } from './runtime/heap.js';
import { VERSION } from './version.js';

const ROLES = ['server'] as const;
const DESCRIPTION = `motley ${VERSION}: scrapes Prometheus exporters, stores samples in SQLite and answers PromQL.

Roles:
  server   (default) scrape, store, serve the Prometheus HTTP API`;

/** flags -> role -> run; nothing else. */
async function main(argv: string[]): Promise<number> {
  const role = argv[0] && !argv[0].startsWith('-') ? argv[0] : 'server';
  const rest = argv[0] === role ? argv.slice(1) : argv;
  if (!(ROLES as readonly string[]).includes(role))
    throw new UsageError(`unknown role "${role}" (want: ${ROLES.join(', ')})`);
  const flags = parseFlags(serverFlags, rest);
  if (flags.boolean('help')) {
    process.stdout.write(formatHelp('motley', DESCRIPTION, serverFlags, '[server] [<flags>]'));
    return 0;
  }
  if (flags.boolean('version')) {
    process.stdout.write(`motley ${VERSION} (node ${process.versions.node})\n`);
    return 0;
  }
  if (flags.positional.length > 0) throw new UsageError(`unexpected argument "${flags.positional[0]}"`);
  if (flags.boolean('check')) {
    const file = flags.string('config.file');
    if (!file) throw new UsageError('--check needs --config.file=FILE');
    const result = checkConfig(file);
    (result.ok ? process.stdout : process.stderr).write(`${result.lines.join('\n')}\n`);
    return result.ok ? 0 : 1;
  }
  const log = createLogger(
    parseLogLevel(flags.string('log.level')),
    undefined,
    flags.string('log.format') === 'json' ? 'json' : 'logfmt',
  );
  // SIGHUP re-reads --config.file; an invalid file is logged and the running config stays.
  // Installed before the server starts so an early SIGHUP cannot terminate the process.
  let reload: (() => Promise<void>) | undefined;
  process.on('SIGHUP', () => {
    reload?.().then(
      () => log.info('configuration reloaded', { signal: 'SIGHUP' }),
      () => {},
    );
  });
  // The process' heap policy (see runtime/heap.ts), before the server allocates anything.
  fixYoungGenerationSize();
  enableCollectionAfterBursts();
  const server = await startServer({ flags, log, clock: systemClock });
  reload = () => server.reload();
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info('shutting down', { signal });
      setTimeout(() => process.exit(0), 5000).unref();
      server.stop().then(resolve, resolve);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`motley: error: ${oneLine(err)}\n`);
    process.exit(exitCodeFor(err));
  },
);
