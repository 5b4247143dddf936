/**
 * `card10-bme680-exporter read`: one reading, printed as JSON in base units, to check the badge,
 * the cable and the permissions before running the exporter.
 */
import { formatHelp, oneLine, parseFlags, UsageError } from '@motley/exporter-kit';
import { resolveDevicePath } from './device-path.js';
import { summarizeError } from './raw-repl.js';
import { BOARD_PROGRAM, parseReadingOutput } from './reading.js';
import { ReplClient } from './repl-client.js';
import { type OpenLink, openSerialPort } from './serial-link.js';

const READ_FLAGS = [
  {
    name: 'serial.device',
    kind: 'string' as const,
    placeholder: 'PATH',
    help: 'Serial device (default: find 0b6a:003c, else /dev/ttyACM0)',
  },
  { name: 'serial.baud', kind: 'number' as const, default: 115200, placeholder: 'BAUD', help: 'Baud rate' },
  {
    name: 'serial.timeout',
    kind: 'duration' as const,
    default: '5s',
    placeholder: 'DURATION',
    help: 'How long to wait for each answer',
  },
  { name: 'help', kind: 'boolean' as const, short: 'h', help: 'Show this help and exit' },
];

export async function runReadCommand(
  argv: string[],
  io: { out(s: string): void; err(s: string): void; openLink?: OpenLink } = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
): Promise<number> {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(READ_FLAGS, argv);
  } catch (e) {
    io.err(`card10-bme680-exporter read: error: ${oneLine(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
  if (flags.boolean('help')) {
    io.out(
      formatHelp(
        'card10-bme680-exporter read',
        'Read the BME680 of a card10 once and print it as JSON.',
        READ_FLAGS,
      ),
    );
    return 0;
  }
  const path = await resolveDevicePath(flags.optionalString('serial.device'));
  let link: Awaited<ReturnType<OpenLink>> | undefined;
  try {
    link = await (io.openLink ?? openSerialPort)(path, flags.number('serial.baud'));
    const repl = new ReplClient(link, { timeoutMs: flags.duration('serial.timeout') });
    await repl.enterRawRepl();
    const result = await repl.exec(BOARD_PROGRAM);
    if (result.stderr.trim() !== '') throw new Error(`the board raised ${summarizeError(result.stderr)}`);
    io.out(`${JSON.stringify({ device: path, ...parseReadingOutput(result.stdout) })}\n`);
    return 0;
  } catch (e) {
    io.err(`card10-bme680-exporter read: error: ${oneLine(e)}\n`);
    return 1;
  } finally {
    await link?.close();
  }
}
