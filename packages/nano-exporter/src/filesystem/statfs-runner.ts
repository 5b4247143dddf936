import type { Worker } from 'node:worker_threads';

export interface FsStats {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

export type StatfsResult = { ok: true; stats: FsStats } | { ok: false; error: string };

/**
 * The worker's code: statfs each path it is sent, synchronously, one after the other, and post
 * each answer. Kept as a string so the same file works from src (tests) and dist.
 */
export const STATFS_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { statfsSync } = require('node:fs');
parentPort.on('message', (path) => {
  try {
    const s = statfsSync(path);
    parentPort.postMessage({ path, ok: true, stats: { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree } });
  } catch (e) {
    parentPort.postMessage({ path, ok: false, error: e && e.code ? e.code : String(e) });
  }
});
`;

/** What the worker posts back for each path. */
interface WorkerAnswer {
  path: string;
  ok: boolean;
  stats?: FsStats;
  error?: string;
}

/** The answer for a mount whose earlier statfs is still hanging. */
const UNRESPONSIVE: StatfsResult = {
  ok: false,
  error: 'mount point is unresponsive (an earlier statfs has not returned)',
};

interface Pending {
  path: string;
  resolve: (r: StatfsResult) => void;
}

/**
 * statfs(2) with a deadline. A hung network mount blocks statfs in the kernel; done on the libuv
 * threadpool it would eventually block every file read of the process. So the calls run in a
 * worker thread, one at a time: when one overruns the deadline the worker is abandoned (a thread
 * stuck in a syscall cannot be killed), its mount is remembered as stuck and answered at once
 * from then on, and a fresh worker takes the next calls. When the stuck call finally returns,
 * the mount is no longer stuck and the old worker is ended.
 */
export class StatfsRunner {
  private worker: Worker | undefined;
  /** Whether the current worker has booted: its start-up time does not count against a mount. */
  private workerOnline = false;
  private queue: Pending[] = [];
  private inFlight: Pending | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly stuck = new Set<string>();
  private readonly abandoned = new Set<Worker>();
  private stopped = false;

  constructor(
    private readonly timeoutMs: number,
    /** Tests swap in a worker that hangs like a dead NFS server. */
    private readonly workerSource = STATFS_WORKER_SOURCE,
    private readonly workerData?: unknown,
  ) {}

  /** Mount points whose statfs has not come back yet. */
  stuckPaths(): string[] {
    return [...this.stuck];
  }

  statfs(path: string): Promise<StatfsResult> {
    if (this.stopped) return Promise.resolve({ ok: false, error: 'stopped' });
    if (this.stuck.has(path)) return Promise.resolve(UNRESPONSIVE);
    return new Promise((resolve) => {
      this.queue.push({ path, resolve });
      this.pump();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.inFlight?.resolve({ ok: false, error: 'stopped' });
    for (const p of this.queue) p.resolve({ ok: false, error: 'stopped' });
    this.queue = [];
    this.inFlight = undefined;
    const w = this.worker;
    this.worker = undefined;
    // A stuck worker cannot finish terminate() until its syscall returns: do not wait for those.
    for (const a of this.abandoned) void a.terminate();
    this.abandoned.clear();
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // Loaded here, not at start: node:worker_threads costs a quarter of a MiB resident, and most
    // hosts have no network or FUSE mount that would need the worker.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const w = new Worker(this.workerSource, {
      eval: true,
      workerData: this.workerData,
      // The worker only calls statfs: keep its heap tiny.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 },
    });
    w.unref();
    w.on('message', (m: WorkerAnswer) => this.onAnswer(w, m));
    w.on('error', (e) => this.onWorkerGone(w, e.message));
    w.on('exit', () => this.onWorkerGone(w, 'statfs worker exited'));
    w.once('online', () => {
      if (this.worker !== w) return;
      this.workerOnline = true;
      if (this.inFlight && !this.timer) this.startTimer();
    });
    this.workerOnline = false;
    this.worker = w;
    return w;
  }

  private pump(): void {
    if (this.inFlight || this.stopped) return;
    const next = this.queue.shift();
    if (!next) return;
    if (this.stuck.has(next.path)) {
      next.resolve(UNRESPONSIVE);
      this.pump();
      return;
    }
    this.inFlight = next;
    this.ensureWorker().postMessage(next.path);
    if (this.workerOnline) this.startTimer();
  }

  private onAnswer(w: Worker, m: WorkerAnswer): void {
    if (this.abandoned.has(w)) {
      // The hung call came back: the mount answers again, and this worker has no more use.
      this.stuck.delete(m.path);
      this.abandoned.delete(w);
      void w.terminate();
      return;
    }
    const p = this.inFlight;
    if (!p || p.path !== m.path) return;
    this.clearTimer();
    this.inFlight = undefined;
    p.resolve(
      m.ok ? { ok: true, stats: m.stats as FsStats } : { ok: false, error: m.error ?? 'statfs failed' },
    );
    this.pump();
  }

  private onTimeout(): void {
    const p = this.inFlight;
    const w = this.worker;
    if (!p || !w) return;
    this.inFlight = undefined;
    this.stuck.add(p.path);
    this.abandoned.add(w);
    this.worker = undefined;
    p.resolve({ ok: false, error: `statfs timed out after ${this.timeoutMs} ms` });
    this.pump();
  }

  private onWorkerGone(w: Worker, reason: string): void {
    if (this.abandoned.delete(w)) return;
    if (this.worker !== w) return;
    this.worker = undefined;
    this.clearTimer();
    const p = this.inFlight;
    this.inFlight = undefined;
    p?.resolve({ ok: false, error: reason });
    this.pump();
  }

  private startTimer(): void {
    this.timer = setTimeout(() => this.onTimeout(), this.timeoutMs);
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
