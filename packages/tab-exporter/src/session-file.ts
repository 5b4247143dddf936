/**
 * Reads a profile's session file, decoding only when it changed. Firefox replaces the file
 * atomically (write to a temp file, rename), so device, inode, size and mtime together tell
 * whether there is anything new; an unchanged file costs one stat per candidate per scrape.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { oneLine } from '@motley/exporter-kit';
import { decodeMozLz4 } from './mozlz4.js';
import type { SessionCounts } from './session-counts.js';
import { scanSessionCounts } from './session-scan.js';

/** Where Firefox keeps the session, best first: the running copy, then the one written on quit. */
export const SESSION_CANDIDATES = ['sessionstore-backups/recovery.jsonlz4', 'sessionstore.jsonlz4'];

export interface SessionFileInfo {
  path: string;
  mtimeMs: number;
  size: number;
}

export interface SessionState {
  /** The session file in use, if the profile has one. */
  file?: SessionFileInfo;
  /** The counts of the file's current version; absent while `error` is set. */
  counts?: SessionCounts;
  /** Why the current version could not be read, on one line. */
  error?: string;
  /** How many times this profile's session was decoded. */
  decodes: number;
}

interface CacheEntry {
  key: string;
  file?: SessionFileInfo;
  counts?: SessionCounts;
  error?: string;
  decodes: number;
}

function changeKey(path: string, s: Stats): string {
  return `${path}\0${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
}

async function statIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw e;
  }
}

export class SessionFileReader {
  private readonly cache = new Map<string, CacheEntry>();
  /**
   * The decoded bytes of the last decode, reused by the next: a big session is rewritten every
   * 15 s, and a fresh 15 MB buffer each time costs more peak memory than keeping one.
   */
  private scratch: Uint8Array<ArrayBufferLike> = new Uint8Array(0);

  constructor(
    private readonly opts: {
      maxDecodedBytes: number;
      /** Called once per newly failed file version (not on every scrape). */
      onError?: (profileDir: string, message: string) => void;
    },
  ) {}

  /** The newest existing candidate; the running copy wins a tie. */
  private async pickFile(profileDir: string): Promise<{ path: string; stats: Stats } | undefined> {
    let best: { path: string; stats: Stats } | undefined;
    for (const rel of SESSION_CANDIDATES) {
      const path = join(profileDir, rel);
      const stats = await statIfExists(path);
      if (stats?.isFile() && (!best || stats.mtimeMs > best.stats.mtimeMs)) best = { path, stats };
    }
    return best;
  }

  async read(profileDir: string, attempt = 1): Promise<SessionState> {
    const previous = this.cache.get(profileDir);
    const decodes = previous?.decodes ?? 0;
    let picked: { path: string; stats: Stats } | undefined;
    try {
      picked = await this.pickFile(profileDir);
    } catch (e) {
      const error = `cannot look for the session file in ${profileDir}: ${oneLine(e)}`;
      this.remember(profileDir, { key: `error\0${error}`, error, decodes }, previous);
      return { error, decodes };
    }
    if (!picked) {
      this.cache.set(profileDir, { key: 'none', decodes });
      return { decodes };
    }
    if (previous && previous.key === changeKey(picked.path, picked.stats)) return this.state(previous);
    const entry = await this.decode(picked.path, decodes + 1);
    // Firefox moved the file away between our stat and open (it does at startup and quit): look again.
    if (entry === 'vanished') return attempt < 2 ? this.read(profileDir, attempt + 1) : { decodes };
    this.remember(profileDir, entry, previous);
    return this.state(entry);
  }

  private state(entry: CacheEntry): SessionState {
    return { file: entry.file, counts: entry.counts, error: entry.error, decodes: entry.decodes };
  }

  private remember(profileDir: string, entry: CacheEntry, previous: CacheEntry | undefined): void {
    if (entry.error && previous?.key !== entry.key) this.opts.onError?.(profileDir, entry.error);
    this.cache.set(profileDir, entry);
  }

  /** Opens once and uses the descriptor's own stat, so the key matches the bytes read. */
  private async decode(path: string, decodes: number): Promise<CacheEntry | 'vanished'> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    let key = `${path}\0unread`;
    let file: SessionFileInfo | undefined;
    try {
      try {
        handle = await open(path, constants.O_RDONLY);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'vanished';
        throw e;
      }
      const stats = await handle.stat();
      key = changeKey(path, stats);
      file = { path, mtimeMs: stats.mtimeMs, size: stats.size };
      // An LZ4 block is never much larger than its data: a bigger file is not a session.
      if (stats.size > this.opts.maxDecodedBytes + 4096) {
        throw new Error(
          `file is ${stats.size} bytes, over the limit (raise --firefox.max-session-bytes if this session is real)`,
        );
      }
      const bytes = await handle.readFile();
      // Decode and count synchronously, so concurrent reads never share the scratch at once.
      const decoded = decodeMozLz4(bytes, this.opts.maxDecodedBytes, this.scratch);
      if (decoded.buffer !== this.scratch.buffer) this.scratch = new Uint8Array(decoded.buffer);
      const counts = scanSessionCounts(decoded);
      return { key, file, counts, decodes };
    } catch (e) {
      return { key, file, error: `${path}: ${oneLine(e)}`, decodes };
    } finally {
      await handle?.close();
    }
  }

  /** How many profiles have cached state. */
  get trackedProfiles(): number {
    return this.cache.size;
  }

  /** Forgets profiles that are no longer listed. */
  retain(profileDirs: Iterable<string>): void {
    const keep = new Set(profileDirs);
    for (const dir of this.cache.keys()) if (!keep.has(dir)) this.cache.delete(dir);
  }
}
