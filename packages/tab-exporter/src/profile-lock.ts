/**
 * Whether a live Firefox holds a profile. On Linux, Firefox keeps a symlink `<profile>/lock`
 * whose target is `<ip>:+<pid>` while the profile is open. It is the only signal that survives
 * an idle browser (an idle Firefox does not rewrite its session file), but a crash leaves it
 * behind, so the PID must still be a Firefox process.
 */
import { access, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface LockTarget {
  host: string;
  pid: number;
}

/** Parses a lock symlink target such as `127.0.1.1:+4242`. */
export function parseLockTarget(target: string): LockTarget | undefined {
  const m = /^(.*):\+(\d+)$/.exec(target.trim());
  if (!m) return undefined;
  const pid = Number(m[2]);
  return pid > 0 && Number.isSafeInteger(pid) ? { host: m[1], pid } : undefined;
}

/** Process names Firefox runs under (Debian's firefox-esr, Mozilla's tarball, snap, the Gecko main thread). */
const FIREFOX_COMM = /firefox|GeckoMain/i;

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the profile's lock points at a running process that looks like Firefox. Where
 * /proc is unreadable (another OS) an existing PID is enough.
 */
export async function profileLockedByLiveFirefox(profileDir: string, procfs = '/proc'): Promise<boolean> {
  let target: string;
  try {
    target = await readlink(join(profileDir, 'lock'));
  } catch {
    return false;
  }
  const lock = parseLockTarget(target);
  if (!lock || !processExists(lock.pid)) return false;
  try {
    return FIREFOX_COMM.test(await readFile(join(procfs, String(lock.pid), 'comm'), 'utf8'));
  } catch {
    // The process ended in between (false), or this system has no procfs (trust the PID).
    return !(await pathExists(procfs));
  }
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
