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
    if (Number.isFinite(n)) {
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

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The common number shapes (`123`, `-4.5`, `1.5e+06`) parsed in place. With at most 15 significant
 * digits and a power of ten up to 22, one IEEE multiplication or division is correctly rounded
 * (Clinger's fast path), so the result equals strconv.ParseFloat's. Anything else: undefined, and
 * the caller falls back to the general parser.
 */
export function parseDecimalAt(text: string, start: number, end: number): number | undefined {
  let k = start;
  let c = text.charCodeAt(k);
  let sign = 1;
  if (c === 45 || c === 43) {
    if (c === 45) sign = -1;
    c = text.charCodeAt(++k);
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let dot = false;
  for (; k < end; c = text.charCodeAt(++k)) {
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) fraction++;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (digits === 0 || digits > 15) return undefined;
  let exponent = 0;
  if (k < end) {
    if ((c | 32) !== 101) return undefined;
    c = text.charCodeAt(++k);
    let expSign = 1;
    if (c === 45 || c === 43) {
      if (c === 45) expSign = -1;
      c = text.charCodeAt(++k);
    }
    const expStart = k;
    for (; k < end && c >= 48 && c <= 57; c = text.charCodeAt(++k)) exponent = exponent * 10 + (c - 48);
    if (k !== end || k === expStart || k - expStart > 3) return undefined;
    exponent *= expSign;
  }
  const p = exponent - fraction;
  if (p === 0) return sign * mantissa;
  if (p > 0 && p <= 22) return sign * (mantissa * POW10[p]);
  if (p < 0 && p >= -22) return sign * (mantissa / POW10[-p]);
  return undefined;
}
