import { type Labels, labelsFromRecord } from '../model/labels.js';

/**
 * VictoriaMetrics' JSON lines format (/api/v1/import and /api/v1/export), one series per line:
 *   {"metric":{"__name__":"up","job":"node"},"values":[1,0.5],"timestamps":[1700000000000,1700000015000]}
 * Like VictoriaMetrics, values that JSON cannot spell are written as bare NaN, Inf and -Inf.
 */

export class JsonLineError extends Error {
  override name = 'JsonLineError';
}

export interface JsonLineSeries {
  labels: Labels;
  t: Float64Array;
  v: Float64Array;
}

const BARE_NON_FINITE = /([[,]\s*)([+-]?(?:nan|inf(?:inity)?))(?=\s*[,\]])/gi;

export function parseJsonLine(line: string, lineNo: number): JsonLineSeries {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    try {
      doc = JSON.parse(line.replace(BARE_NON_FINITE, '$1"$2"'));
    } catch (e) {
      throw new JsonLineError(`line ${lineNo}: not valid JSON: ${(e as Error).message}`);
    }
  }
  const obj = doc as { metric?: unknown; values?: unknown; timestamps?: unknown };
  if (!obj || typeof obj !== 'object' || !obj.metric || typeof obj.metric !== 'object') {
    throw new JsonLineError(`line ${lineNo}: want an object with "metric", "values" and "timestamps"`);
  }
  const record: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj.metric as Record<string, unknown>)) {
    if (typeof val !== 'string') throw new JsonLineError(`line ${lineNo}: label "${k}" must be a string`);
    record[k] = val;
  }
  if (!Array.isArray(obj.values) || !Array.isArray(obj.timestamps)) {
    throw new JsonLineError(`line ${lineNo}: "values" and "timestamps" must be arrays`);
  }
  if (obj.values.length !== obj.timestamps.length) {
    throw new JsonLineError(
      `line ${lineNo}: ${obj.values.length} values but ${obj.timestamps.length} timestamps; they must pair up`,
    );
  }
  const n = obj.values.length;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ts = obj.timestamps[i];
    if (typeof ts !== 'number' || !Number.isInteger(ts)) {
      throw new JsonLineError(`line ${lineNo}: timestamp ${JSON.stringify(ts)} is not integer milliseconds`);
    }
    t[i] = ts;
    v[i] = parseValue(obj.values[i], lineNo);
  }
  return { labels: labelsFromRecord(record), t, v };
}

function parseValue(x: unknown, lineNo: number): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string') {
    const s = x.toLowerCase().replace(/^\+/, '');
    if (s === 'nan') return Number.NaN;
    if (s === 'inf' || s === 'infinity') return Number.POSITIVE_INFINITY;
    if (s === '-inf' || s === '-infinity') return Number.NEGATIVE_INFINITY;
    const n = Number(x);
    if (x.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new JsonLineError(`line ${lineNo}: value ${JSON.stringify(x)} is not a number`);
}

export function formatJsonLine(labels: Labels, t: ArrayLike<number>, v: ArrayLike<number>): string {
  const metric: Record<string, string> = {};
  for (const l of labels) metric[l.name] = l.value;
  const values: string[] = [];
  for (let i = 0; i < v.length; i++) values.push(formatValue(v[i]));
  const timestamps: number[] = [];
  for (let i = 0; i < t.length; i++) timestamps.push(t[i]);
  return `{"metric":${JSON.stringify(metric)},"values":[${values.join(',')}],"timestamps":[${timestamps.join(',')}]}`;
}

function formatValue(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(x);
}
