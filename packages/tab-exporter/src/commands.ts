/**
 * Subcommands that run instead of the server:
 *   tab-exporter decode FILE          print the JSON inside a mozlz4 file
 *   tab-exporter count [PATH...]      print open tabs per profile directory or session file;
 *                                     without PATH, for every profile found in the usual places
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { oneLine } from '@motley/exporter-kit';
import { DEFAULT_MAX_DECODED_BYTES, decodeMozLz4 } from './mozlz4.js';
import { defaultFirefoxDirs, discoverProfiles } from './profile-discovery.js';
import { plural, type SessionCounts } from './session-counts.js';
import { SessionFileReader } from './session-file.js';
import { scanSessionCounts } from './session-scan.js';

export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIO: CommandIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export async function decodeCommand(argv: string[], io: CommandIO = processIO): Promise<number> {
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    io.err('usage: tab-exporter decode FILE.jsonlz4 (prints the JSON inside; pipe it to jq)\n');
    return 2;
  }
  try {
    const bytes = decodeMozLz4(await readFile(argv[0]), DEFAULT_MAX_DECODED_BYTES);
    io.out(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return 0;
  } catch (e) {
    io.err(`tab-exporter decode: ${argv[0]}: ${oneLine(e)}\n`);
    return 1;
  }
}

function describeCounts(c: SessionCounts): string {
  return `${plural(c.tabs, 'tab')} in ${plural(c.windows, 'window')} (${c.pinnedTabs} pinned)`;
}

export async function countCommand(
  argv: string[],
  io: CommandIO = processIO,
  home = homedir(),
): Promise<number> {
  if (argv.some((a) => a.startsWith('-'))) {
    io.err('usage: tab-exporter count [PROFILE_DIR|FILE.jsonlz4]...\n');
    return 2;
  }
  const reader = new SessionFileReader({ maxDecodedBytes: DEFAULT_MAX_DECODED_BYTES });
  let targets: { label: string; path: string }[] = argv.map((a) => ({ label: a, path: a }));
  if (targets.length === 0) {
    const found = await discoverProfiles({
      dirs: defaultFirefoxDirs(home),
      dirsExplicit: false,
      profiles: [],
    });
    if (found.profiles.length === 0) {
      io.err(`tab-exporter count: no Firefox profiles found under ${home}; give a profile directory\n`);
      return 1;
    }
    targets = found.profiles.map((p) => ({ label: p.label, path: p.dir }));
  }
  let failures = 0;
  for (const t of targets) {
    try {
      if ((await stat(t.path)).isFile()) {
        const counts = scanSessionCounts(decodeMozLz4(await readFile(t.path), DEFAULT_MAX_DECODED_BYTES));
        io.out(`${t.label}: ${describeCounts(counts)}\n`);
        continue;
      }
      const state = await reader.read(t.path);
      if (state.error) throw new Error(state.error);
      if (!state.counts) throw new Error('no session file (Firefox has not run with this profile yet)');
      io.out(`${t.label}: ${describeCounts(state.counts)}\n`);
    } catch (e) {
      failures++;
      io.err(`tab-exporter count: ${t.label}: ${oneLine(e)}\n`);
    }
  }
  return failures ? 1 : 0;
}
