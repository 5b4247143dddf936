import { oneLine, parseFlags, UsageError } from '@motley/exporter-kit';
import { parseBindkey } from './config-file.js';
import { decodeServiceData } from './decode-service-data.js';
import { normalizeMac } from './mac.js';
import { DecodeError } from './reading.js';

const USAGE = 'usage: lywsd03mmc-exporter decode [--bindkey HEX] [--mac MAC] SERVICE_UUID HEX';

/**
 * `decode [--bindkey HEX] [--mac MAC] SERVICE_UUID HEX`: decodes one service-data payload and
 * prints the reading as JSON, for finding out which format a sensor sends.
 */
export function runDecodeCommand(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): number {
  try {
    const flags = parseFlags(
      [
        { name: 'bindkey', kind: 'string', help: '32 hex digits' },
        { name: 'mac', kind: 'string', help: 'sensor MAC' },
        { name: 'help', kind: 'boolean', short: 'h', help: 'help' },
      ],
      argv,
    );
    if (flags.boolean('help')) {
      out(
        `${USAGE}\n\nDecodes one service-data payload (UUID 181a, fcd2 or fe95) and prints the reading as JSON.\n`,
      );
      return 0;
    }
    if (flags.positional.length !== 2) throw new UsageError(USAGE);
    const [uuid, hexText] = flags.positional;
    const hex = hexText.replace(/[\s:]/g, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(hex))
      throw new UsageError(`payload must be hex digits, got "${hexText}"`);
    const macText = flags.optionalString('mac');
    const mac = macText === undefined ? undefined : normalizeMac(macText);
    if (macText !== undefined && !mac) throw new UsageError(`--mac: "${macText}" is not a MAC address`);
    const keyText = flags.optionalString('bindkey');
    const key = keyText === undefined ? undefined : parseBindkey(keyText, '--bindkey');
    const decoded = decodeServiceData(uuid, Buffer.from(hex, 'hex'), { mac, bindkeyFor: () => key });
    out(`${JSON.stringify({ ...decoded, mac: decoded.mac ?? mac }, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof DecodeError) {
      err(`lywsd03mmc-exporter decode: ${e.reason}: ${e.message}\n`);
      return 1;
    }
    err(`lywsd03mmc-exporter decode: ${oneLine(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
