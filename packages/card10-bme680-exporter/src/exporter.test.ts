import { parseFlags } from '@motley/exporter-kit';
import { describe, expect, it } from 'vitest';
import { card10Flags, sessionOptionsFromFlags, statusLines } from './exporter.js';
import { parseReadingOutput } from './reading.js';
import { ERROR_KINDS, type SessionSnapshot } from './session.js';

const flags = (...argv: string[]) => parseFlags(card10Flags, argv);
const errors = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as SessionSnapshot['errors'];

describe('sessionOptionsFromFlags', () => {
  it('has the documented defaults; the TTL follows the poll interval', () => {
    expect(sessionOptionsFromFlags(flags())).toEqual({
      device: undefined,
      baudRate: 115200,
      pollIntervalMs: 10_000,
      timeoutMs: 5000,
      readingTtlMs: 30_000,
      reconnectMinDelayMs: 1000,
      reconnectMaxDelayMs: 30_000,
    });
    const o = sessionOptionsFromFlags(
      flags('--serial.device=/dev/card10', '--poll.interval=1m', '--reading.ttl=90s'),
    );
    expect(o.device).toBe('/dev/card10');
    expect(o.pollIntervalMs).toBe(60_000);
    expect(o.readingTtlMs).toBe(90_000);
  });

  it.each([
    [['--serial.baud=0'], /--serial.baud: must be a positive whole number/],
    [['--serial.baud=9600.5'], /--serial.baud/],
    [['--poll.interval=0s'], /--poll.interval: must be longer than 0s/],
    [['--serial.timeout=0s'], /--serial.timeout/],
    [['--serial.reconnect-max-delay=0s'], /--serial.reconnect-max-delay/],
  ])('rejects %j', (argv, message) => {
    expect(() => sessionOptionsFromFlags(flags(...argv))).toThrow(message);
  });
});

describe('statusLines', () => {
  it('says why there is no data', () => {
    const lines = statusLines({
      state: 'waiting to reconnect',
      up: false,
      devicePath: '/dev/ttyACM0',
      errors,
      lastError:
        '/dev/ttyACM0: no such device (is the card10 plugged in and switched on? set --serial.device)',
    });
    expect(lines).toEqual([
      'Device: /dev/ttyACM0 (waiting to reconnect; not answering)',
      'No current reading, so no card10_bme680_* metrics.',
      'Last problem: /dev/ttyACM0: no such device (is the card10 plugged in and switched on? set --serial.device)',
    ]);
  });

  it('shows the last reading and whether BSEC is on', () => {
    const value = parseReadingOutput('card10-bme680 4 22.5 47.25 1009.5 87654.0');
    const [, reading] = statusLines({
      state: 'polling',
      up: true,
      devicePath: '/dev/card10',
      errors,
      reading: { value, lastSeen: 0 },
    });
    expect(reading).toBe('Last reading 1970-01-01T00:00:00.000Z: 22.5 °C (BSEC off: no IAQ, eCO2, bVOC)');
  });
});
