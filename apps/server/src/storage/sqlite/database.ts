import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** Opening the storage directory failed in a way the user must fix (permissions, another server). */
export class StorageOpenError extends Error {
  override name = 'StorageOpenError';
}

export interface OpenedDatabase {
  db: Database.Database;
  /** Releases the directory lock; call after closing the database. */
  unlock(): void;
}

// Sealed chunks only ever get appended (rowids grow), which keeps the table's pages full; the
// index finds a series' chunks by their end, so a query of recent data skips older chunks. Checkpointed head chunks, rewritten often, live in their own table.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS label_pairs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, pairs BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL,
  mint INTEGER NOT NULL,
  maxt INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_series ON chunks (series_id, maxt);
CREATE TABLE IF NOT EXISTS head_chunks (
  series_id INTEGER PRIMARY KEY,
  mint INTEGER NOT NULL,
  maxt INTEGER NOT NULL,
  sealed INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Creates the directory if needed, takes its lock file (refusing when another live process holds
 * it) and opens the SQLite database in WAL mode with the schema.
 */
export function openDatabase(dir: string): OpenedDatabase {
  try {
    makeDirectories(dir);
  } catch (e) {
    throw new StorageOpenError(`cannot create --storage.path ${dir}: ${(e as Error).message}`);
  }
  const lockPath = join(dir, 'lock');
  takeLock(lockPath);
  let db: Database.Database;
  try {
    db = new Database(join(dir, 'motley.db'));
    // Both only take effect on a new database. Segment rows are ~0.5 KiB: 16 KiB pages waste a
    // fraction of one row per page where 4 KiB pages waste ~14%. Pages freed by retention and
    // rewritten head rows go back to the file system at checkpoints.
    db.pragma('page_size = 16384');
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    // A committed transaction survives a killed process; fsync per commit is what power loss would need.
    db.pragma('synchronous = NORMAL');
    // Chunks are appended and read back rarely: a small page cache keeps the process lean.
    db.pragma('cache_size = -4000');
    db.exec(SCHEMA);
  } catch (e) {
    releaseLock(lockPath);
    throw new StorageOpenError(`cannot open the database in ${dir}: ${(e as Error).message}`);
  }
  return { db, unlock: () => releaseLock(lockPath) };
}

/**
 * mkdir -p, one level at a time: Node 20's mkdirSync(..., { recursive: true }) spins forever on
 * some paths it cannot create (under /proc, for one) instead of failing.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

function takeLock(lockPath: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new StorageOpenError(`cannot write to --storage.path ${lockPath}: ${(e as Error).message}`);
      }
    }
    const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new StorageOpenError(
        `${lockPath} is locked by another running server (pid ${holder}); stop it or choose another --storage.path`,
      );
    }
    if (holder === process.pid) {
      throw new StorageOpenError(`${lockPath} is already open in this process; use another --storage.path`);
    }
    // The holder died without cleaning up (kill -9, power loss): the lock is stale.
    unlinkSync(lockPath);
  }
  throw new StorageOpenError(`cannot take the lock ${lockPath}`);
}

function releaseLock(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
