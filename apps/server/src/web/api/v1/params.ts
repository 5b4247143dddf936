import type { Matcher } from '../../../model/matchers.js';
import { parsePromDuration } from '../../../promql/literals.js';
import { ParseError, parseExpr } from '../../../promql/parser.js';
import { HttpError } from '../../http-util.js';

/** Timestamps far outside any data, used when a time parameter is absent. */
export const MIN_TIME = -8_640_000_000_000;
export const MAX_TIME = 8_640_000_000_000;

const invalid = (name: string, reason: string) =>
  new HttpError(400, `invalid parameter "${name}": ${reason}`, 'bad_data');

/** A time parameter as unix seconds (fractions allowed) or RFC 3339; returns milliseconds. */
export function parseTimeParam(params: URLSearchParams, name: string, fallback?: number): number {
  const text = params.get(name);
  if (text === null || text === '') {
    if (fallback !== undefined) return fallback;
    throw invalid(name, `cannot parse "" to a valid timestamp`);
  }
  const t = parseTime(text);
  if (t === undefined) throw invalid(name, `cannot parse "${text}" to a valid timestamp`);
  return t;
}

/** The texts Prometheus' own clients send for "no lower/upper bound". */
const MIN_TIME_TEXT = '-292273086-05-16T16:47:06Z';
const MAX_TIME_TEXT = '292277025-08-18T07:12:54.999999999Z';

export function parseTime(text: string): number | undefined {
  if (text === MIN_TIME_TEXT) return MIN_TIME;
  if (text === MAX_TIME_TEXT) return MAX_TIME;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) {
    const seconds = Number(text);
    if (!Number.isFinite(seconds)) return undefined;
    return Math.round(seconds * 1000);
  }
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[-+]\d\d:\d\d)$/i.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** A duration parameter as seconds (fractions allowed) or a Prometheus duration; returns milliseconds. */
export function parseDurationParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  if (/^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) {
    const ms = Number(text) * 1000;
    if (!Number.isFinite(ms))
      throw invalid(name, `cannot parse "${text}" to a valid duration. It overflows int64`);
    return Math.round(ms);
  }
  const d = parsePromDuration(text);
  if (d === undefined) throw invalid(name, `cannot parse "${text}" to a valid duration`);
  return d;
}

/** A required duration parameter (query_range's step). */
export function requireDurationParam(params: URLSearchParams, name: string): number {
  const d = parseDurationParam(params, name);
  if (d === undefined) throw invalid(name, `cannot parse "" to a valid duration`);
  return d;
}

/** Each match[] as the matchers of one series selector. */
export function parseMatchParams(params: URLSearchParams): Matcher[][] {
  return params.getAll('match[]').map((text) => {
    let e: ReturnType<typeof parseExpr>;
    try {
      e = parseExpr(text);
    } catch (err) {
      throw invalid('match[]', err instanceof ParseError ? err.message : String(err));
    }
    if (e.type !== 'vectorSelector')
      throw invalid('match[]', `1:1: parse error: expected series selector, got ${text}`);
    return e.matchers;
  });
}

/** The optional `limit` parameter: 0 (or absent) means no limit. */
export function parseLimitParam(params: URLSearchParams): number {
  const text = params.get('limit');
  if (text === null || text === '') return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw invalid('limit', `cannot parse "${text}" to a valid limit`);
  return n;
}
