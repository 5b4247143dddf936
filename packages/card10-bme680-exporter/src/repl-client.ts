/**
 * Request/answer over a SerialLink with the raw REPL parser: enter raw mode, run code. Every wait
 * has a deadline, and ends early when the link ends, so a stalled or unplugged board never hangs
 * the session.
 */
import {
  ENTER_RAW_REPL,
  type ExecResult,
  execRequest,
  INTERRUPT,
  RawReplParser,
  type ReplEvent,
} from './raw-repl.js';
import type { SerialLink } from './serial-link.js';

/** Why a request failed; `kind` becomes the `kind` label of card10_errors_total. */
export class ReplError extends Error {
  override name = 'ReplError';
  constructor(
    readonly kind: 'timeout' | 'disconnect' | 'protocol',
    message: string,
  ) {
    super(message);
  }
}

export interface ReplClientOptions {
  /** How long the board may take to answer one request. */
  timeoutMs: number;
  /** Pause after Ctrl-C so the interrupted app can print its traceback before Ctrl-A. */
  interruptSettleMs?: number;
}

export class ReplClient {
  private readonly parser = new RawReplParser();
  private pending: { resolve(e: ReplEvent): void; reject(e: Error): void } | undefined;
  private endedBecause: string | undefined;

  constructor(
    private readonly link: SerialLink,
    private readonly opts: ReplClientOptions,
  ) {
    link.onData((chunk) => {
      for (const event of this.parser.feed(chunk)) this.settle(event);
    });
    link.onEnd((reason) => {
      this.endedBecause = reason;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(new ReplError('disconnect', reason));
    });
  }

  /** Interrupts the running app and enters the raw REPL. */
  async enterRawRepl(signal?: AbortSignal): Promise<void> {
    this.link.write(INTERRUPT);
    await delay(this.opts.interruptSettleMs ?? 200, signal);
    const event = await this.request(
      ENTER_RAW_REPL,
      () => this.parser.expectBanner(),
      'the raw REPL banner',
      signal,
    );
    if (event.kind !== 'banner')
      throw new ReplError('protocol', `expected the raw REPL banner, got ${event.kind}`);
  }

  /** Runs code in the raw REPL and returns its output and error text. */
  async exec(code: string, signal?: AbortSignal): Promise<ExecResult> {
    const event = await this.request(
      execRequest(code),
      () => this.parser.expectResult(),
      'an answer to the program',
      signal,
    );
    if (event.kind === 'overflow') {
      throw new ReplError(
        'protocol',
        `the board answered more than ${event.limit} bytes without ending the frame`,
      );
    }
    if (event.kind !== 'result')
      throw new ReplError('protocol', `expected a program result, got ${event.kind}`);
    return event.result;
  }

  private settle(event: ReplEvent): void {
    const p = this.pending;
    this.pending = undefined;
    p?.resolve(event);
  }

  private request(bytes: string, expect: () => void, what: string, signal?: AbortSignal): Promise<ReplEvent> {
    if (this.endedBecause !== undefined)
      return Promise.reject(new ReplError('disconnect', this.endedBecause));
    if (this.pending) return Promise.reject(new Error('a request is already waiting'));
    return new Promise<ReplEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        reject(new ReplError('timeout', `timed out after ${this.opts.timeoutMs} ms waiting for ${what}`));
      }, this.opts.timeoutMs);
      const onAbort = () => {
        finish();
        reject(new ReplError('disconnect', 'stopped'));
      };
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending = undefined;
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        resolve: (e) => {
          finish();
          resolve(e);
        },
        reject: (e) => {
          finish();
          reject(e);
        },
      };
      expect();
      this.link.write(bytes);
    });
  }
}

/** setTimeout as a promise that resolves early (without error) when the signal aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
