import { readFileSync } from 'node:fs';
import { UsageError } from '@motley/exporter-kit';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { normalizeMac } from './mac.js';
import type { SensorSettings } from './sensor-directory.js';

/**
 * The YAML config file (--config.file):
 *
 *   sensors:
 *     - mac: A4:C1:38:12:34:56
 *       name: living-room
 *       bindkey: 00112233445566778899aabbccddeeff
 *       poll: false
 *
 * Unknown keys and bad values are errors naming the file, line and key.
 */
export function parseConfigFile(text: string, file: string): SensorSettings[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const where = (node: Node | null | undefined) => {
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
    return pos ? `${file}:${pos.line}` : file;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new UsageError(`${file}:${e.linePos?.[0].line ?? '?'}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (root === null || root === undefined) return [];
  if (!isMap(root)) throw new UsageError(`${where(root)}: expected a mapping with a "sensors" list`);
  const out: SensorSettings[] = [];
  for (const pair of root.items) {
    const key = keyText(pair.key);
    if (key !== 'sensors')
      throw new UsageError(`${where(pair.key as Node)}: unknown key "${key}" (expected "sensors")`);
    const list = pair.value as Node | null;
    if (list === null || list === undefined || (isScalar(list) && list.value === null)) continue;
    if (!isSeq(list))
      throw new UsageError(`${where(list)}: "sensors" must be a list of {mac, name, bindkey, poll}`);
    for (const item of list.items as Node[]) {
      if (!isMap(item))
        throw new UsageError(`${where(item)}: each sensor must be a mapping with at least "mac"`);
      const s: Partial<SensorSettings> = {};
      for (const p of item.items) {
        const k = keyText(p.key);
        const vNode = p.value as Node | null;
        const v = (vNode as { value?: unknown } | null)?.value;
        const at = where((vNode ?? p.key) as Node);
        switch (k) {
          case 'mac': {
            const mac = normalizeMac(String(v ?? ''));
            if (!mac)
              throw new UsageError(`${at}: mac "${String(v)}" is not a MAC address (e.g. A4:C1:38:12:34:56)`);
            s.mac = mac;
            break;
          }
          case 'name':
            if (typeof v !== 'string' || v === '')
              throw new UsageError(`${at}: name must be a non-empty string`);
            s.name = v;
            break;
          case 'bindkey':
            s.bindkey = parseBindkey(String(v ?? ''), at);
            break;
          case 'poll':
            if (typeof v !== 'boolean') throw new UsageError(`${at}: poll must be true or false`);
            s.poll = v;
            break;
          default:
            throw new UsageError(
              `${where(p.key as Node)}: unknown sensor key "${k}" (known: mac, name, bindkey, poll)`,
            );
        }
      }
      if (!s.mac) throw new UsageError(`${where(item)}: sensor without "mac"`);
      out.push(s as SensorSettings);
    }
  }
  return out;
}

/** A mapping key as text (a scalar node's value, else the key itself). */
function keyText(key: unknown): string {
  return String((key as { value?: unknown } | null)?.value ?? key);
}

/** 32 hex digits -> 16 bytes, or a UsageError naming where it came from. */
export function parseBindkey(text: string, where: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new UsageError(
      `${where}: bindkey must be 32 hex digits (16 bytes), got "${hex.length > 40 ? `${hex.slice(0, 40)}...` : hex}"`,
    );
  }
  return Buffer.from(hex, 'hex');
}

/**
 * The anchor exporter's keyfile (-k FILE): one "MAC KEY" per line, MAC as 12 hex digits (colons
 * allowed), KEY as 32 hex digits; blank lines and # comments ignored.
 */
export function parseKeyfile(text: string, file: string): SensorSettings[] {
  const out: SensorSettings[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file}:${i + 1}`;
    const fields = line.split(/\s+/);
    const mac = normalizeMac(fields[0]);
    if (fields.length !== 2 || !mac)
      throw new UsageError(
        `${where}: expected "MAC KEY", e.g. "A4C138FFFFFF 00112233445566778899aabbccddeeff"`,
      );
    out.push({ mac, bindkey: parseBindkey(fields[1], where) });
  });
  return out;
}

export function readSettingsFile(
  path: string,
  parse: (text: string, file: string) => SensorSettings[],
): SensorSettings[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`,
    );
  }
  return parse(text, path);
}
