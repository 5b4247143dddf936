/**
 * Number parsing with Go's strconv.ParseFloat vocabulary, as Prometheus uses it for sample
 * values: decimal and exponent forms, NaN, Inf/+Inf/-Inf and Infinity in any letter case.
 * Returns undefined for anything else (JavaScript's Number() would take "", "0x1f" or " 1").
 */
export function parseFloatValue(s: string): number | undefined {
  const len = s.length;
  if (len === 0) return undefined;
  const c = s.charCodeAt(0);
  // Fast path: plain decimal digits, the overwhelmingly common case.
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    const n = +s;
    if (n === n && n !== Number.POSITIVE_INFINITY && n !== Number.NEGATIVE_INFINITY) {
      // Number() accepts hex/octal/binary literals ("0x1f"); Go does not.
      if (len > 1 && (s.charCodeAt(1) | 32) > 97 && !isDecimalText(s)) return undefined;
      return n;
    }
  }
  const lower = s.toLowerCase();
  switch (lower) {
    case 'nan':
    case '+nan':
    case '-nan':
      return Number.NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
  }
  return undefined;
}

function isDecimalText(s: string): boolean {
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s);
}

/** Integers as strconv.ParseInt(s, 10, 64) accepts them; undefined otherwise. */
export function parseIntValue(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}
