/**
 * One card10 on one serial port: connect (interrupt the app, enter the raw REPL), run the reading
 * program every poll interval, keep the reading with an expiry, and on any link failure close the
 * port and reconnect with backoff. Never throws out of its loop: failures become counters, the
 * `up` flag and a status line.
 */
import { type Clock, ExpiringReadings, type Logger } from '@motley/exporter-kit';
import { type ListPorts, resolveDevicePath } from './device-path.js';
import { summarizeError } from './raw-repl.js';
import { type Bme680Reading, BOARD_PROGRAM, parseReadingOutput, ReadingParseError } from './reading.js';
import { delay, ReplClient, ReplError } from './repl-client.js';
import type { OpenLink, SerialLink } from './serial-link.js';

/** Every kind of card10_errors_total, exported from the start so rate() works from zero. */
export const ERROR_KINDS = ['open', 'timeout', 'disconnect', 'protocol', 'traceback', 'parse'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface SessionOptions {
  /** The device to open; undefined = look for the card10's USB id, else /dev/ttyACM0. */
  device?: string;
  baudRate: number;
  pollIntervalMs: number;
  /** How long the board may take to answer one request. */
  timeoutMs: number;
  /** How long a reading stays exported after it arrived. */
  readingTtlMs: number;
  reconnectMinDelayMs: number;
  reconnectMaxDelayMs: number;
  openLink: OpenLink;
  listPorts?: ListPorts;
  clock: Clock;
  log: Logger;
  /** The MicroPython program to run; the default prints the BME680 reading. */
  program?: string;
}

export type SessionState = 'starting' | 'connecting' | 'polling' | 'waiting to reconnect' | 'stopped';

export interface SessionSnapshot {
  state: SessionState;
  /** Whether the board answered the last request. */
  up: boolean;
  devicePath?: string;
  reading?: { value: Bme680Reading; lastSeen: number };
  /** Milliseconds since the epoch of the last good reading, even if it has expired since. */
  lastReadingAt?: number;
  errors: Record<ErrorKind, number>;
  lastError?: string;
}

const READING_KEY = 'bme680';

export class Card10Session {
  private readonly readings: ExpiringReadings<Bme680Reading>;
  private readonly errors = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
  private readonly abort = new AbortController();
  private state: SessionState = 'starting';
  private up = false;
  private devicePath: string | undefined;
  private lastReadingAt: number | undefined;
  private lastError: string | undefined;
  private link: SerialLink | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly opts: SessionOptions) {
    this.readings = new ExpiringReadings(opts.clock);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.link?.close();
    await this.loop;
    this.state = 'stopped';
    this.up = false;
  }

  snapshot(): SessionSnapshot {
    const r = this.readings.get(READING_KEY);
    return {
      state: this.state,
      up: this.up,
      devicePath: this.devicePath,
      reading: r && { value: r.value, lastSeen: r.lastSeen },
      lastReadingAt: this.lastReadingAt,
      errors: { ...this.errors },
      lastError: this.lastError,
    };
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let backoff = this.opts.reconnectMinDelayMs;
    while (!this.stopped) {
      this.state = 'connecting';
      const polledOnce = await this.connectAndPoll();
      if (this.stopped) break;
      this.up = false;
      if (polledOnce) backoff = this.opts.reconnectMinDelayMs;
      this.state = 'waiting to reconnect';
      await delay(backoff, this.abort.signal);
      backoff = Math.min(backoff * 2, this.opts.reconnectMaxDelayMs);
    }
  }

  /** One connection's life; returns whether it got at least one answer from the board. */
  private async connectAndPoll(): Promise<boolean> {
    const path = await resolveDevicePath(this.opts.device, this.opts.listPorts);
    this.devicePath = path;
    try {
      this.link = await this.opts.openLink(path, this.opts.baudRate);
    } catch (e) {
      this.fail('open', (e as Error).message);
      return false;
    }
    if (this.stopped) {
      await this.link.close();
      return false;
    }
    let answered = false;
    try {
      const repl = new ReplClient(this.link, { timeoutMs: this.opts.timeoutMs });
      await repl.enterRawRepl(this.abort.signal);
      this.opts.log.info('connected to card10', { device: path });
      this.state = 'polling';
      for (;;) {
        const started = this.opts.clock.now();
        await this.pollOnce(repl);
        answered = true;
        const wait = this.opts.pollIntervalMs - (this.opts.clock.now() - started);
        await delay(Math.max(0, wait), this.abort.signal);
        if (this.stopped) break;
      }
    } catch (e) {
      if (!this.stopped) {
        const kind = e instanceof ReplError ? e.kind : 'protocol';
        this.fail(kind, `${path}: ${(e as Error).message}`);
      }
    } finally {
      await this.link.close();
      this.link = undefined;
    }
    return answered;
  }

  /** Runs the program once; link failures throw, board-side failures are counted. */
  private async pollOnce(repl: ReplClient): Promise<void> {
    const result = await repl.exec(this.opts.program ?? BOARD_PROGRAM, this.abort.signal);
    this.up = true;
    if (result.stderr.trim() !== '') {
      this.count('traceback', `the board raised ${summarizeError(result.stderr)}`);
      return;
    }
    try {
      const reading = parseReadingOutput(result.stdout);
      this.readings.set(READING_KEY, reading, this.opts.readingTtlMs);
      this.lastReadingAt = this.opts.clock.now();
      this.lastError = undefined;
    } catch (e) {
      if (!(e instanceof ReadingParseError)) throw e;
      this.count('parse', e.message);
    }
  }

  /** A failure that ends the connection: the board is not answering. */
  private fail(kind: ErrorKind, message: string): void {
    this.up = false;
    this.count(kind, message);
  }

  private count(kind: ErrorKind, message: string): void {
    this.errors[kind]++;
    // Log a repeated failure once, not on every retry.
    if (message !== this.lastError) this.opts.log.warn(message, { kind });
    this.lastError = message;
  }
}
