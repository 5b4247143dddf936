/**
 * The MicroPython raw REPL as the card10 speaks it, as pure functions and an incremental parser
 * (no I/O): Ctrl-C interrupts the running app, Ctrl-A enters raw mode and the board answers with
 * a banner and `>`; code followed by Ctrl-D runs it and the board answers
 * `OK`, the program's output, `\x04`, any error text, `\x04`, `>`.
 *
 * Serial lines carry noise (a half-printed app message, bytes from a replug), so the parser skips
 * anything before the frame it waits for and bounds what it buffers.
 */

const CTRL_A = '\x01';
const CTRL_C = '\x03';
const CTRL_D = '\x04';

export const RAW_REPL_BANNER = 'raw REPL; CTRL-B to exit\r\n>';

/** Interrupts whatever app runs (twice: the first may land inside a `try`). */
export const INTERRUPT = `\r${CTRL_C}${CTRL_C}`;
/** Enters the raw REPL. */
export const ENTER_RAW_REPL = CTRL_A;

/** The bytes that run `code` in the raw REPL. */
export function execRequest(code: string): string {
  if (code.includes(CTRL_D)) throw new Error('code must not contain Ctrl-D');
  return `${code}${CTRL_D}`;
}

/** Output of one program run: stdout, and the error text (a traceback) when it raised. */
export interface ExecResult {
  stdout: string;
  stderr: string;
}

export type ReplEvent =
  | { kind: 'banner' }
  | { kind: 'result'; result: ExecResult }
  | { kind: 'overflow'; limit: number };

type Phase = 'idle' | 'banner' | 'ok' | 'stdout' | 'stderr';

/** Answers larger than this are not from our program; the parser gives up on them. */
export const DEFAULT_MAX_OUTPUT = 16 * 1024;

/**
 * Turns bytes from the board into events. Tell it what to expect (`expectBanner()` after sending
 * Ctrl-A, `expectResult()` after sending code), then feed it chunks as they arrive.
 */
export class RawReplParser {
  private phase: Phase = 'idle';
  private buffer = '';
  private stdout = '';
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(private readonly maxOutput = DEFAULT_MAX_OUTPUT) {}

  expectBanner(): void {
    this.reset('banner');
  }

  expectResult(): void {
    this.reset('ok');
  }

  /** What the parser waits for now. */
  get waitingFor(): Phase {
    return this.phase;
  }

  feed(chunk: Uint8Array | string): ReplEvent[] {
    if (this.phase === 'idle') return [];
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    // Every event ends the exchange (the parser is idle again), so one chunk yields at most one.
    const event = this.step();
    if (event) return [event];
    if (this.buffer.length + this.stdout.length > this.maxOutput) {
      this.reset('idle');
      return [{ kind: 'overflow', limit: this.maxOutput }];
    }
    return [];
  }

  private reset(phase: Phase): void {
    this.phase = phase;
    this.buffer = '';
    this.stdout = '';
  }

  /** Advances by at most one event; undefined when more bytes are needed. */
  private step(): ReplEvent | undefined {
    switch (this.phase) {
      case 'banner': {
        const at = this.buffer.indexOf(RAW_REPL_BANNER);
        if (at < 0) {
          this.keepTail(RAW_REPL_BANNER.length - 1);
          return undefined;
        }
        this.reset('idle');
        return { kind: 'banner' };
      }
      case 'ok': {
        const at = this.buffer.indexOf('OK');
        if (at < 0) {
          this.keepTail(1);
          return undefined;
        }
        this.buffer = this.buffer.slice(at + 2);
        this.phase = 'stdout';
        return this.step();
      }
      case 'stdout': {
        const at = this.buffer.indexOf(CTRL_D);
        if (at < 0) return undefined;
        this.stdout = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + 1);
        this.phase = 'stderr';
        return this.step();
      }
      case 'stderr': {
        const at = this.buffer.indexOf(CTRL_D);
        if (at < 0) return undefined;
        const result = { stdout: this.stdout, stderr: this.buffer.slice(0, at) };
        // The `>` prompt that follows is left unread: the next request skips to its own `OK`.
        this.reset('idle');
        return { kind: 'result', result };
      }
      default:
        return undefined;
    }
  }

  /** Drops skipped noise but keeps enough to match a marker split across chunks. */
  private keepTail(n: number): void {
    if (this.buffer.length > n) this.buffer = this.buffer.slice(this.buffer.length - n);
  }
}

/** The last line of a MicroPython traceback, e.g. `ImportError: no module named 'bme680'`. */
export function summarizeError(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.length ? lines[lines.length - 1] : 'error without message';
}
