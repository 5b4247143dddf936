/**
 * card10-bme680-exporter: the flags, the session and the collector, wired for the exporter kit.
 */
import { createRequire } from 'node:module';
import { type ExporterDefinition, type FlagSpec, type ParsedFlags, UsageError } from '@motley/exporter-kit';
import { card10Families } from './metrics.js';
import { runReadCommand } from './read-command.js';
import { openSerialPort } from './serial-link.js';
import { Card10Session, type SessionOptions, type SessionSnapshot } from './session.js';

const version: string = createRequire(import.meta.url)('../package.json').version;

/** Port 10680: 9100-9999 of the Prometheus default port allocations are all taken; see README. */
export const DEFAULT_LISTEN_ADDRESS = ':10680';

export const card10Flags: FlagSpec[] = [
  {
    name: 'serial.device',
    kind: 'string',
    placeholder: 'PATH',
    help: 'Serial device of the card10. Default: the port with USB id 0b6a:003c, else /dev/ttyACM0',
  },
  {
    name: 'serial.baud',
    kind: 'number',
    default: 115200,
    placeholder: 'BAUD',
    help: 'Baud rate of the serial port',
  },
  {
    name: 'serial.timeout',
    kind: 'duration',
    default: '5s',
    placeholder: 'DURATION',
    help: 'How long the card10 may take to answer before it counts as not answering and the port is reopened',
  },
  {
    name: 'serial.reconnect-max-delay',
    kind: 'duration',
    default: '30s',
    placeholder: 'DURATION',
    help: 'Longest wait between reconnection attempts (the wait starts at 1s and doubles)',
  },
  {
    name: 'poll.interval',
    kind: 'duration',
    default: '10s',
    placeholder: 'DURATION',
    help: 'How often to read the sensor',
  },
  {
    name: 'reading.ttl',
    kind: 'duration',
    default: '0s',
    placeholder: 'DURATION',
    help: 'How long a reading stays on /metrics after it arrived; 0s means three poll intervals',
  },
];

/** Session options from the flags; throws UsageError for values that cannot work. */
export function sessionOptionsFromFlags(
  flags: ParsedFlags,
): Omit<SessionOptions, 'openLink' | 'clock' | 'log'> {
  const baudRate = flags.number('serial.baud');
  if (!Number.isInteger(baudRate) || baudRate <= 0) {
    throw new UsageError(`--serial.baud: must be a positive whole number, got ${baudRate}`);
  }
  const positive = (name: string, example: string) => {
    const ms = flags.duration(name);
    if (ms <= 0) throw new UsageError(`--${name}: must be longer than 0s (e.g. ${example})`);
    return ms;
  };
  const pollIntervalMs = positive('poll.interval', '10s');
  const timeoutMs = positive('serial.timeout', '5s');
  const reconnectMaxDelayMs = positive('serial.reconnect-max-delay', '30s');
  const ttl = flags.duration('reading.ttl');
  return {
    device: flags.optionalString('serial.device'),
    baudRate,
    pollIntervalMs,
    timeoutMs,
    readingTtlMs: ttl > 0 ? ttl : 3 * pollIntervalMs,
    reconnectMinDelayMs: Math.min(1000, reconnectMaxDelayMs),
    reconnectMaxDelayMs,
  };
}

/** Landing-page lines: which device, whether it answers, and why there is no data. */
export function statusLines(s: SessionSnapshot): string[] {
  const device = s.devicePath ?? 'not chosen yet';
  const lines = [`Device: ${device} (${s.state}; ${s.up ? 'answering' : 'not answering'})`];
  if (s.reading) {
    const r = s.reading.value;
    const bsec = r.bsec
      ? `, IAQ ${r.bsec.iaq} (accuracy ${r.bsec.iaqAccuracy})`
      : ' (BSEC off: no IAQ, eCO2, bVOC)';
    lines.push(
      `Last reading ${new Date(s.reading.lastSeen).toISOString()}: ${r.temperatureCelsius} °C${bsec}`,
    );
  } else {
    lines.push('No current reading, so no card10_bme680_* metrics.');
  }
  if (s.lastError) lines.push(`Last problem: ${s.lastError}`);
  return lines;
}

export const definition: ExporterDefinition = {
  name: 'card10-bme680-exporter',
  namespace: 'card10',
  version,
  description:
    'Prometheus exporter for the BME680 air sensor of a card10 badge on USB serial (MicroPython raw REPL).',
  defaultListenAddress: DEFAULT_LISTEN_ADDRESS,
  flags: card10Flags,
  collectorTimeoutMs: 2_000,
  usage: '[<flags>] | read [--serial.device=PATH] [--serial.baud=BAUD] [--serial.timeout=DURATION]',
  commands: { read: (argv) => runReadCommand(argv) },
  setup: ({ flags, log, clock }) => {
    const session = new Card10Session({
      ...sessionOptionsFromFlags(flags),
      openLink: openSerialPort,
      clock,
      log,
    });
    session.start();
    return {
      collectors: [{ name: 'bme680', collect: () => card10Families(session.snapshot()) }],
      status: () => statusLines(session.snapshot()),
      stop: () => session.stop(),
    };
  },
};
