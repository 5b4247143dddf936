import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { type ExporterDefinition, UsageError } from '@motley/exporter-kit';
import { countCommand, decodeCommand } from './commands.js';
import { DEFAULT_MAX_DECODED_BYTES } from './mozlz4.js';
import { defaultFirefoxDirs } from './profile-discovery.js';
import { SessionCollector } from './session-collector.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * 9100-9999 is fully taken on Prometheus' default port allocations page; newer allocations are
 * above 10000 (10019 went out in 2024). 10473 is past the ones we know of.
 */
export const DEFAULT_PORT = 10473;

export const definition: ExporterDefinition = {
  name: 'tab-exporter',
  namespace: 'firefox',
  buildInfoName: 'tab_exporter_build_info',
  version,
  description:
    'Prometheus exporter for open Firefox tabs and windows per profile, read from the session files Firefox writes.',
  defaultListenAddress: `:${DEFAULT_PORT}`,
  usage: '[<flags>] | decode FILE.jsonlz4 | count [PROFILE_DIR|FILE.jsonlz4]...',
  collectorTimeoutMs: 20_000,
  flags: [
    {
      name: 'firefox.dir',
      kind: 'strings',
      placeholder: 'DIR',
      help: 'Directory holding profiles.ini. Default: ~/.mozilla/firefox, ~/.config/mozilla/firefox, ~/snap/firefox/common/.mozilla/firefox, ~/.var/app/org.mozilla.firefox/.mozilla/firefox',
    },
    {
      name: 'firefox.profile',
      kind: 'strings',
      placeholder: '[NAME=]DIR',
      help: 'A profile directory to watch, optionally named. Giving --firefox.dir or --firefox.profile turns the default search off',
    },
    {
      name: 'firefox.home',
      kind: 'string',
      placeholder: 'DIR',
      help: "Home directory for the default search (to watch another user's Firefox). Default: the home of the user running the exporter",
    },
    {
      name: 'firefox.running-threshold',
      kind: 'duration',
      default: '1m',
      placeholder: 'DURATION',
      help: 'A session file younger than this means Firefox is running (Firefox writes it at most every browser.sessionstore.interval, 15s, while something changes)',
    },
    {
      name: 'firefox.max-session-bytes',
      kind: 'number',
      default: DEFAULT_MAX_DECODED_BYTES,
      placeholder: 'BYTES',
      help: 'Refuse session files that decompress to more than this',
    },
  ],
  commands: { decode: (argv) => decodeCommand(argv), count: (argv) => countCommand(argv) },
  setup: async ({ flags, clock, log }) => {
    const explicitDirs = flags.strings('firefox.dir');
    const explicitProfiles = flags.strings('firefox.profile');
    const explicit = explicitDirs.length > 0 || explicitProfiles.length > 0;
    const maxDecodedBytes = flags.number('firefox.max-session-bytes');
    if (!(maxDecodedBytes > 0))
      throw new UsageError('--firefox.max-session-bytes must be a positive number of bytes');
    const home = flags.optionalString('firefox.home') ?? homedir();
    const collector = new SessionCollector({
      search: {
        dirs: explicit ? explicitDirs : defaultFirefoxDirs(home),
        dirsExplicit: explicit,
        profiles: explicitProfiles,
      },
      clock,
      log,
      runningThresholdMs: flags.duration('firefox.running-threshold'),
      maxDecodedBytes,
    });
    // A first look, so the log and the landing page say at once what is watched.
    await collector.collect();
    collector.logSummary();
    return { collectors: [collector], status: () => collector.status() };
  },
};
