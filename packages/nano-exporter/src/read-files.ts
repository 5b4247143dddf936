import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Small synchronous readers: /proc and /sys files are generated in memory by the kernel, so a
 * blocking read costs microseconds and is cheaper than a trip through the libuv threadpool.
 */
export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

function isAbsent(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The file's text, or undefined when it does not exist. Other errors still throw. */
export function readOptional(path: string): string | undefined {
  // existsSync does not throw: far cheaper than building an ENOENT error on every scrape.
  if (!existsSync(path)) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (isAbsent(e)) return undefined;
    throw e;
  }
}

/**
 * The trimmed text of a sysfs attribute, or undefined when it is absent or the driver refuses
 * to answer (EINVAL, ENODATA, EOPNOTSUPP, EAGAIN: e.g. `speed` of an interface that is down).
 */
export function readAttribute(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A numeric sysfs attribute (decimal or 0x hex), or undefined. */
export function readNumberAttribute(path: string): number | undefined {
  const text = readAttribute(path);
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}

/** Directory entries, or an empty list when the directory does not exist. */
export function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch (e) {
    if (isAbsent(e)) return [];
    throw e;
  }
}

export function dirExists(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}
