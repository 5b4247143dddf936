/** Pure lexical functions for PromQL literals: numbers, durations and quoted strings. */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** Parses a Prometheus duration (`1h30m`, units in descending order) to milliseconds, or undefined. */
export function parsePromDuration(text: string): number | undefined {
  if (text === '' || text === '0') return text === '0' ? 0 : undefined;
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  let total = 0;
  let any = false;
  DURATION_UNITS.forEach((unit, i) => {
    const part = m[i + 1];
    if (part !== undefined) {
      any = true;
      total += Number(part) * UNIT_MS[unit];
    }
  });
  return any ? total : undefined;
}

/** Formats milliseconds as Prometheus prints durations: `1h30m`, `5m`, `1s500ms`, `0s`. */
export function formatPromDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let out = ms < 0 ? '-' : '';
  for (const unit of DURATION_UNITS) {
    const size = UNIT_MS[unit];
    if (unit === 'w' && rest % size !== 0 && rest >= size) {
      // Prometheus only prints weeks when they divide evenly; otherwise days carry the amount.
      continue;
    }
    if (unit === 'y' && rest % size !== 0 && rest >= size) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/**
 * A PromQL number literal: decimal, hex, Inf/NaN, or a duration (seconds). Returns undefined when
 * the text is none of these.
 */
export function parseNumberLiteral(text: string): number | undefined {
  if (text.startsWith('-') || text.startsWith('+')) {
    const inner = parseNumberLiteral(text.slice(1));
    return inner === undefined ? undefined : text[0] === '-' ? -inner : inner;
  }
  const lower = text.toLowerCase();
  if (lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  const d = parsePromDuration(text);
  return d === undefined ? undefined : d / 1000;
}

/** Duration in a duration context (`[5m]`, `offset 1h`): a duration, or a plain number of seconds. */
export function parseDurationLiteral(text: string): number | undefined {
  const d = parsePromDuration(text);
  if (d !== undefined) return d;
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Math.round(Number(text) * 1000);
  return undefined;
}

/** Unquotes a PromQL string literal ("..." and '...' with Go escapes, `...` raw). Throws on a bad escape. */
export function unquoteString(text: string): string {
  const q = text[0];
  if (text.length < 2 || text[text.length - 1] !== q) throw new SyntaxError('unterminated quoted string');
  const body = text.slice(1, -1);
  if (q === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
      case '"':
      case "'":
        out += e;
        break;
      case 'x':
        out += String.fromCharCode(hexDigits(body, i + 1, 2));
        i += 2;
        break;
      case 'u':
        out += String.fromCodePoint(hexDigits(body, i + 1, 4));
        i += 4;
        break;
      case 'U':
        out += String.fromCodePoint(hexDigits(body, i + 1, 8));
        i += 8;
        break;
      default:
        if (e !== undefined && e >= '0' && e <= '7') {
          const oct = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) throw new SyntaxError(`invalid escape sequence in ${text}`);
          out += String.fromCharCode(Number.parseInt(oct, 8));
          i += 2;
          break;
        }
        throw new SyntaxError(`unknown escape sequence in ${text}`);
    }
  }
  return out;
}

function hexDigits(s: string, from: number, n: number): number {
  const digits = s.slice(from, from + n);
  if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) throw new SyntaxError('invalid escape sequence');
  return Number.parseInt(digits, 16);
}

/** Quotes a string the way Prometheus prints label values and string literals. */
export function quoteString(s: string): string {
  return JSON.stringify(s);
}
