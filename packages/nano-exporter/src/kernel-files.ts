import { closeSync, existsSync, openSync, readdirSync, readvSync } from 'node:fs';

/** Open descriptors kept per instance at most; past this, files are opened and closed per read. */
const MAX_OPEN = 512;

/** Read errors that mean the open descriptor no longer refers to a live file. */
const GONE = new Set(['ENODEV', 'ENOENT', 'ESTALE', 'EBADF', 'ENXIO']);

function isAbsent(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Reads files of /proc and /sys, keeping each one open between scrapes. The kernel generates
 * these files anew on every read from offset 0, so one pread(2) replaces open, fstat, read and
 * close: about a quarter of the system calls, which dominate a scrape.
 *
 * Only for kernel files: a regular file replaced by rename would keep being read through the old
 * descriptor, so text files and udev data are read with readFileSync instead.
 *
 * One instance per collector; `round()` wraps one collection and closes what it did not touch
 * (an interface or a disk that went away).
 */
export class KernelFiles {
  private readonly open = new Map<string, { fd: number; round: number }>();
  // Grows to the largest file this instance reads; most collectors read a few hundred bytes.
  private buf = Buffer.allocUnsafe(4096);
  // readvSync into [buf] rather than readSync: without an optimizing compiler (the unit's flags),
  // readSync's argument validators cost 0.4 µs and 300 more bytes of garbage per call.
  private whole = [this.buf];
  private current = 0;
  /** Open files read in the current round: when all were, there is nothing to close. */
  private touched = 0;
  private readonly absentDirs = new Set<string>();

  /** Runs one collection, then closes the descriptors it no longer uses. */
  round<T>(collect: () => T): T {
    this.current++;
    this.touched = 0;
    try {
      return collect();
    } finally {
      // Swept only when a file went untouched; forEach, not for-of (no iterator objects).
      if (this.touched < this.open.size)
        this.open.forEach((entry, path) => {
          if (entry.round !== this.current) {
            this.closeQuietly(entry.fd);
            this.open.delete(path);
          }
        });
    }
  }

  /** The whole file; throws (ENOENT and all) like readFileSync. */
  text(path: string): string {
    // Read first: a large file replaces this.buf with a bigger one.
    const n = this.readBytes(path);
    return this.buf.toString('utf8', 0, n);
  }

  /** Reads the file into this.buf and returns its length. */
  private readBytes(path: string): number {
    let entry = this.open.get(path);
    if (entry) {
      this.touch(entry);
      try {
        return this.readAll(entry.fd);
      } catch (e) {
        // A driver refusing to answer (EINVAL from `speed` of a virtual link) keeps its file;
        // a file that went away (ENODEV: the device was removed, maybe re-created) is reopened.
        if (!GONE.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
        this.closeQuietly(entry.fd);
        this.open.delete(path);
        this.touched--;
      }
    }
    const fd = openSync(path, 'r');
    if (this.open.size >= MAX_OPEN) {
      try {
        return this.readAll(fd);
      } finally {
        this.closeQuietly(fd);
      }
    }
    entry = { fd, round: this.current };
    this.open.set(path, entry);
    this.touched++;
    return this.readAll(fd);
  }

  /** The file's text, or undefined when it does not exist. Other errors still throw. */
  optional(path: string): string | undefined {
    // existsSync does not throw: far cheaper than building an ENOENT error on every scrape.
    if (!this.open.has(path) && !existsSync(path)) return undefined;
    try {
      return this.text(path);
    } catch (e) {
      if (isAbsent(e)) return undefined;
      throw e;
    }
  }

  /**
   * A trimmed sysfs attribute, or undefined when it is absent or the driver refuses to answer
   * (EINVAL, ENODATA, EOPNOTSUPP: e.g. `speed` of an interface that is down).
   */
  attribute(path: string): string | undefined {
    let n: number;
    try {
      n = this.readBytes(path);
    } catch {
      return undefined;
    }
    // Trim in the buffer: one string per attribute instead of two.
    let start = 0;
    while (start < n && this.buf[start] <= 32) start++;
    while (n > start && this.buf[n - 1] <= 32) n--;
    return this.buf.toString('utf8', start, n);
  }

  /**
   * attribute() of each of `paths` into `into`, with the common case inline: a file already open
   * that answers in one short read. netclass reads some twenty attributes per interface, and
   * without an optimizing compiler the call layers of attribute() cost about as much as the read.
   */
  attributes(paths: readonly string[], into: (string | undefined)[]): void {
    const open = this.open;
    for (let i = 0; i < paths.length; i++) {
      const entry = open.get(paths[i]);
      let n = -1;
      if (entry !== undefined) {
        this.touch(entry);
        try {
          n = readvSync(entry.fd, this.whole, 0);
        } catch (e) {
          // A driver refusing to answer keeps its file (see readBytes); a file gone is reopened.
          if (!GONE.has((e as NodeJS.ErrnoException).code ?? '')) {
            into[i] = undefined;
            continue;
          }
        }
      }
      // Not open yet, gone, or longer than an attribute: the careful way.
      if (n < 0 || n >= 4096) {
        into[i] = this.attribute(paths[i]);
        continue;
      }
      const buf = this.buf;
      let start = 0;
      while (start < n && buf[start] <= 32) start++;
      while (n > start && buf[n - 1] <= 32) n--;
      into[i] = buf.toString('utf8', start, n);
    }
  }

  /** A numeric sysfs attribute (decimal or 0x hex), or undefined. */
  number(path: string): number | undefined {
    const text = this.attribute(path);
    if (text === undefined || text === '') return undefined;
    const n = Number(text);
    return Number.isNaN(n) ? undefined : n;
  }

  /**
   * Directory entries, or an empty list when the directory does not exist. A directory found
   * absent (no hwmon or powercap in a VM) is looked for with existsSync on later scrapes: the
   * ENOENT error readdirSync would throw costs more than the whole listing.
   */
  list(path: string): string[] {
    if (this.absentDirs.has(path) && !existsSync(path)) return [];
    try {
      const entries = readdirSync(path);
      this.absentDirs.delete(path);
      return entries;
    } catch (e) {
      if (!isAbsent(e)) throw e;
      this.absentDirs.add(path);
      return [];
    }
  }

  exists(path: string): boolean {
    return existsSync(path);
  }

  close(): void {
    for (const entry of this.open.values()) this.closeQuietly(entry.fd);
    this.open.clear();
  }

  private readAll(fd: number): number {
    let n = 0;
    for (;;) {
      const got = readvSync(fd, n === 0 ? this.whole : [this.buf.subarray(n)], n);
      if (got === 0) break;
      n += got;
      if (n === this.buf.length) {
        const bigger = Buffer.allocUnsafe(this.buf.length * 2);
        this.buf.copy(bigger, 0, 0, n);
        this.buf = bigger;
        this.whole = [bigger];
      } else if (n < 4096) {
        // A short first read is the whole of a sysfs attribute: skip the read that returns 0.
        break;
      }
    }
    return n;
  }

  private touch(entry: { round: number }): void {
    if (entry.round === this.current) return;
    entry.round = this.current;
    this.touched++;
  }

  private closeQuietly(fd: number): void {
    try {
      closeSync(fd);
    } catch {}
  }
}
