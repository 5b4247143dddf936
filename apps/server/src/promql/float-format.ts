/**
 * Formats a float as Go's strconv.FormatFloat(f, 'f', -1, 64), which Prometheus uses for sample
 * values in JSON and for count_values labels: shortest round-trip digits, never an exponent.
 */
export function formatGoFloat(f: number): string {
  const special = formatSpecial(f);
  if (special !== undefined) return special;
  const s = String(f);
  const e = s.indexOf('e');
  if (e < 0) return s;
  // Expand JavaScript's exponent form (1e+21, 1.5e-7) into plain digits.
  const negative = s[0] === '-';
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const pointPos = (dot < 0 ? mantissa.length : dot) + exp;
  let out: string;
  if (pointPos <= 0) out = `0.${'0'.repeat(-pointPos)}${digits}`;
  else if (pointPos >= digits.length) out = digits + '0'.repeat(pointPos - digits.length);
  else out = `${digits.slice(0, pointPos)}.${digits.slice(pointPos)}`;
  return negative ? `-${out}` : out;
}

/**
 * Formats a sample value as Prometheus' JSON API writes it: plain digits for magnitudes in
 * [1e-6, 1e21), otherwise Go's exponent form with at least two exponent digits (1e-07, 1e+21).
 */
export function formatSampleValue(f: number): string {
  const special = formatSpecial(f);
  if (special !== undefined) return special;
  const s = String(f);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const digits = s.slice(e + 2);
  return digits.length === 1 ? `${s.slice(0, e + 2)}0${digits}` : s;
}

/** NaN, the infinities and negative zero, which both formats write alike. */
function formatSpecial(f: number): string | undefined {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(f, -0)) return '-0';
  return undefined;
}
