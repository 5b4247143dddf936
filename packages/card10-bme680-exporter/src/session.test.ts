import { silentLogger } from '@motley/exporter-kit';
import { ManualClock } from '@motley/exporter-kit/testing';
import { describe, expect, it } from 'vitest';
import { RAW_REPL_BANNER } from './raw-repl.js';
import { delay } from './repl-client.js';
import type { OpenLink, SerialLink } from './serial-link.js';
import { Card10Session, type SessionOptions } from './session.js';

/**
 * An in-memory stand-in for the serial port (no hardware in unit tests): `answer` maps what the
 * session writes to what the board sends back.
 */
class MemoryLink implements SerialLink {
  private data: ((c: Buffer) => void)[] = [];
  private ends: ((r: string) => void)[] = [];
  closed = false;
  constructor(private readonly answer: (written: string) => string | undefined) {}
  write(data: string): void {
    const reply = this.answer(data);
    if (reply !== undefined) setImmediate(() => this.emit(reply));
  }
  emit(text: string): void {
    for (const l of this.data) l(Buffer.from(text));
  }
  end(reason: string): void {
    for (const l of this.ends) l(reason);
  }
  onData(l: (c: Buffer) => void): void {
    this.data.push(l);
  }
  onEnd(l: (r: string) => void): void {
    this.ends.push(l);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A board that enters the raw REPL and answers every program with `line`. */
const board = (line: () => string) => (written: string) => {
  if (written.includes('\x01')) return `\r\n${RAW_REPL_BANNER}`;
  if (written.endsWith('\x04')) return `OK${line()}\r\n\x04\x04>`;
  return undefined;
};

function options(openLink: OpenLink, over: Partial<SessionOptions> = {}): SessionOptions {
  return {
    device: '/dev/fake',
    baudRate: 115200,
    pollIntervalMs: 10,
    timeoutMs: 200,
    readingTtlMs: 30_000,
    reconnectMinDelayMs: 10,
    reconnectMaxDelayMs: 40,
    openLink,
    clock: new ManualClock(),
    log: silentLogger,
    ...over,
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await delay(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Card10Session', () => {
  it('keeps two sessions in one process apart', async () => {
    const a = new Card10Session(
      options(async () => new MemoryLink(board(() => 'card10-bme680 4 10.0 40.0 1000.0 1.0'))),
    );
    const b = new Card10Session(
      options(async () => new MemoryLink(board(() => 'card10-bme680 4 20.0 60.0 900.0 2.0'))),
    );
    a.start();
    b.start();
    await until(
      () => a.snapshot().reading !== undefined && b.snapshot().reading !== undefined,
      'both readings',
    );
    expect(a.snapshot().reading?.value.temperatureCelsius).toBe(10);
    expect(b.snapshot().reading?.value.temperatureCelsius).toBe(20);
    expect(a.snapshot().up && b.snapshot().up).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
    expect(a.snapshot().state).toBe('stopped');
  });

  it('lets a reading expire on the injected clock but remembers when it arrived', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    let answers = 0;
    const s = new Card10Session(
      options(
        async () =>
          new MemoryLink(
            board(() => {
              answers++;
              return answers === 1 ? 'card10-bme680 4 10.0 40.0 1000.0 1.0' : 'not a reading';
            }),
          ),
        { clock, readingTtlMs: 5000 },
      ),
    );
    s.start();
    await until(() => s.snapshot().errors.parse > 0, 'a parse error after the first reading');
    expect(s.snapshot().reading?.lastSeen).toBe(1_700_000_000_000);
    clock.advance(5001);
    expect(s.snapshot().reading).toBeUndefined();
    expect(s.snapshot().lastReadingAt).toBe(1_700_000_000_000);
    expect(s.snapshot().up).toBe(true);
    await s.stop();
  });

  it('backs off between failed opens, doubling up to the maximum, and stops retrying on stop()', async () => {
    const attempts: number[] = [];
    const s = new Card10Session(
      options(async (path) => {
        attempts.push(performance.now());
        throw new Error(`${path}: no such device`);
      }),
    );
    s.start();
    await until(() => attempts.length >= 5, 'five attempts');
    const gaps = attempts.slice(1, 5).map((t, i) => t - attempts[i]);
    // setTimeout never fires early by more than a millisecond of rounding.
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[1]).toBeGreaterThanOrEqual(19);
    expect(gaps[2]).toBeGreaterThanOrEqual(39);
    expect(gaps[3]).toBeGreaterThanOrEqual(39);
    const snap = s.snapshot();
    expect(snap.up).toBe(false);
    expect(snap.errors.open).toBeGreaterThanOrEqual(5);
    expect(snap.lastError).toBe('/dev/fake: no such device');
    await s.stop();
    const count = attempts.length;
    await delay(100);
    expect(attempts.length).toBe(count);
  });

  it('counts a link that ends mid-request as a disconnect and reconnects', async () => {
    const links: MemoryLink[] = [];
    const s = new Card10Session(
      options(async () => {
        const first = links.length === 0;
        const link = new MemoryLink((w) => {
          if (first && w.endsWith('\x04')) {
            setImmediate(() => link.end('device disconnected'));
            return undefined;
          }
          return board(() => 'card10-bme680 4 10.0 40.0 1000.0 1.0')(w);
        });
        links.push(link);
        return link;
      }),
    );
    s.start();
    await until(() => s.snapshot().reading !== undefined, 'a reading on the second link');
    expect(s.snapshot().errors.disconnect).toBe(1);
    expect(links[0].closed).toBe(true);
    await s.stop();
  });

  it('counts a board that never answers as a timeout, with up 0', async () => {
    const s = new Card10Session(options(async () => new MemoryLink(() => undefined), { timeoutMs: 30 }));
    s.start();
    await until(() => s.snapshot().errors.timeout > 0, 'a timeout');
    expect(s.snapshot().up).toBe(false);
    expect(s.snapshot().lastError).toBe('/dev/fake: timed out after 30 ms waiting for the raw REPL banner');
    await s.stop();
  });

  it('counts an endless answer as a protocol error', async () => {
    const s = new Card10Session(
      options(async () => {
        const link: MemoryLink = new MemoryLink((w) => {
          if (w.includes('\x01')) return RAW_REPL_BANNER;
          if (w.endsWith('\x04')) setImmediate(() => link.emit(`OK${'x'.repeat(20_000)}`));
          return undefined;
        });
        return link;
      }),
    );
    s.start();
    await until(() => s.snapshot().errors.protocol > 0, 'a protocol error');
    expect(s.snapshot().lastError).toMatch(/more than 16384 bytes/);
    await s.stop();
  });
});
