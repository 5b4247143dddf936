/** Element-wise functions of one sample value (math, trig, rounding) and of a timestamp (date parts). */

export type ElementFunction = (x: number) => number;

const math: Record<string, ElementFunction> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn: (x) => (x < 0 ? -1 : x > 0 ? 1 : x),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (x) => (x * 180) / Math.PI,
  rad: (x) => (x * Math.PI) / 180,
};

export function elementFunction(name: string): ElementFunction | undefined {
  return Object.hasOwn(math, name) ? math[name] : undefined;
}

/** Date parts of a unix time in seconds, in UTC, as Prometheus' day_of_month() and friends. */
const date: Record<string, (d: Date) => number> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => {
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    return Math.floor((d.getTime() - start) / 86_400_000) + 1;
  },
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

export function dateFunction(name: string): ElementFunction | undefined {
  if (!Object.hasOwn(date, name)) return undefined;
  const part = date[name];
  return (seconds) => (Number.isFinite(seconds) ? part(new Date(Math.floor(seconds) * 1000)) : Number.NaN);
}

/** round(x, toNearest): Go's Floor(x / toNearest + 0.5) * toNearest with the inverse for precision. */
export function roundTo(x: number, toNearest: number): number {
  const inverse = 1 / toNearest;
  return Math.floor(x * inverse + 0.5) / inverse;
}
