import { openSync, readdirSync, readFileSync, readvSync, statSync } from 'node:fs';
import { counter, gauge, type MetricFamily } from './exposition.js';

const CLOCK_TICKS = 100;
const PAGE_SIZE = 4096;
/** What Go's client reports for an unlimited rlimit: RLIM_INFINITY as a float. */
const UNLIMITED = 2 ** 64;

/**
 * /proc/self/statm and /proc/self/limits stay open: procfs writes them afresh for every read from
 * offset 0, so one pread replaces open, fstat, read and close on every scrape.
 */
const openProcFiles = new Map<string, number>();
const procBuffer = Buffer.allocUnsafe(8192);
// readvSync rather than readSync: cheaper argument checks, which matter when no optimizing
// compiler runs (nano-exporter's unit).
const procBuffers = [procBuffer];
function readProcFile(path: string): string {
  let fd = openProcFiles.get(path);
  if (fd === undefined) {
    fd = openSync(path, 'r');
    openProcFiles.set(path, fd);
  }
  const n = readvSync(fd, procBuffers, 0);
  return n < procBuffer.length ? procBuffer.toString('utf8', 0, n) : readFileSync(path, 'utf8');
}

/**
 * Open descriptors, counted as Go's client counts them (a listing of /proc/self/fd, which holds
 * the listing's own descriptor too). Since Linux 6.2 the size of that directory is the count, so
 * one stat replaces a listing of some 130 names per scrape; older kernels report 0 and are listed.
 */
function openFds(procfs: string): number {
  const size = statSync(`${procfs}/self/fd`).size;
  return size > 0 ? size + 1 : readdirSync(`${procfs}/self/fd`).length;
}

/**
 * Start time per procfs root, read once: it never changes, and /proc/stat (for the boot time) and
 * /proc/self/stat are costly to read (/proc/self/stat took 80 to 120 µs per read in a running
 * exporter, /proc/self/statm 5).
 */
const startTimes = new Map<string, number>();
function startTime(procfs: string): number {
  let t = startTimes.get(procfs);
  if (t === undefined) {
    const btime = Number(/^btime (\d+)/m.exec(readFileSync(`${procfs}/stat`, 'utf8'))?.[1] ?? 0);
    const stat = readFileSync(`${procfs}/self/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    t = btime + startTicks / CLOCK_TICKS;
    startTimes.set(procfs, t);
  }
  return t;
}

interface Limits {
  maxFds?: number;
  maxAddressSpace?: number;
}
let lastLimits: { text: string; limits: Limits } | undefined;

/**
 * The two limits of /proc/self/limits we report. The text seldom changes and its regular
 * expressions scan all of it: parsed again only when the text differs.
 */
function parseLimits(text: string): Limits {
  if (lastLimits?.text === text) return lastLimits.limits;
  const fds = /^Max open files\s+(\d+)/m.exec(text);
  const as = /^Max address space\s+(\S+)/m.exec(text);
  const limits: Limits = {
    maxFds: fds ? Number(fds[1]) : undefined,
    maxAddressSpace: as ? (as[1] === 'unlimited' ? UNLIMITED : Number(as[1])) : undefined,
  };
  lastLimits = { text, limits };
  return limits;
}

/**
 * The process_* metrics Prometheus' client libraries expose (same names and HELP as the Go client),
 * read from /proc/self with no dependencies. Cheaper than prom-client's default metrics, which also
 * add dozens of nodejs_* series.
 */
export function processFamilies(procfs = '/proc'): MetricFamily[] {
  const out: MetricFamily[] = [];
  try {
    // Sizes in pages: total, resident, ...
    const statm = readProcFile(`${procfs}/self/statm`).split(' ');
    const vsize = Number(statm[0]) * PAGE_SIZE;
    const rss = Number(statm[1]) * PAGE_SIZE;
    // getrusage: the same user and system time of all threads as /proc/self/stat, in microseconds.
    const cpu = process.cpuUsage();
    out.push(
      counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', [
        { value: (cpu.user + cpu.system) / 1e6 },
      ]),
      gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', [{ value: rss }]),
      gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', [{ value: vsize }]),
      gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', [
        { value: startTime(procfs) },
      ]),
    );
  } catch {}
  try {
    out.push(gauge('process_open_fds', 'Number of open file descriptors.', [{ value: openFds(procfs) }]));
    const limits = parseLimits(readProcFile(`${procfs}/self/limits`));
    if (limits.maxFds !== undefined)
      out.push(
        gauge('process_max_fds', 'Maximum number of open file descriptors.', [{ value: limits.maxFds }]),
      );
    if (limits.maxAddressSpace !== undefined) {
      out.push(
        gauge('process_virtual_memory_max_bytes', 'Maximum amount of virtual memory available in bytes.', [
          { value: limits.maxAddressSpace },
        ]),
      );
    }
  } catch {}
  return out;
}
