import { type Label, METRIC_NAME } from '../labels.js';
import { parseDecimalAt, parseFloatValue, parseIntValue } from './parse-value.js';

/**
 * A pull parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0, written for the scrape
 * hot path: it walks one string once, hands out each sample's raw series text (`name{a="b"}`) as
 * the cache key, and builds label objects only when asked (on a scrape-cache miss).
 */

export type ExpositionFormat = 'text' | 'openmetrics';

export enum Entry {
  End = 0,
  Series = 1,
  Help = 2,
  Type = 3,
  Unit = 4,
}

export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const TEXT_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
]);

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

export class ExpositionParser {
  private pos = 0;
  private lineNo = 0;
  private sawEof = false;
  /** Start and end of the current series text, and of its label block (after the name). */
  private seriesStart = 0;
  private nameEnd = 0;
  private seriesEnd = 0;

  /** Value of the current sample (NaN payloads as parsed). */
  value = 0;
  /** Timestamp of the current sample in milliseconds, or undefined when the line has none. */
  timestamp: number | undefined = undefined;
  /** Metric family name of the current HELP/TYPE/UNIT entry. */
  metricName = '';
  /** Text of the current HELP/TYPE/UNIT entry (HELP unescaped). */
  metaText = '';

  constructor(
    private readonly text: string,
    readonly format: ExpositionFormat = 'text',
  ) {}

  /**
   * The series text the caller expects next (the previous scrape's at this position). When the
   * line starts with it, the label block is not re-scanned and `hintMatched` is set.
   */
  hint: string | undefined = undefined;
  hintMatched = false;

  /** Raw series text of the current sample, e.g. `http_requests_total{code="200"}`. */
  get seriesKey(): string {
    return this.text.slice(this.seriesStart, this.seriesEnd);
  }

  /** Advances to the next entry; returns Entry.End after the last one. Throws ParseError. */
  next(): Entry {
    const text = this.text;
    const om = this.format === 'openmetrics';
    while (this.pos < text.length) {
      if (this.sawEof) this.fail('unexpected data after # EOF');
      let end = text.indexOf('\n', this.pos);
      if (end < 0) end = text.length;
      const start = this.pos;
      this.pos = end + 1;
      this.lineNo++;
      let i = start;
      if (!om) while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i === end) {
        if (om) this.fail('empty line is not allowed in OpenMetrics');
        continue;
      }
      if (text.charCodeAt(i) === HASH) {
        const kind = this.parseComment(i, end);
        if (kind !== undefined) return kind;
        continue;
      }
      this.parseSample(i, end);
      return Entry.Series;
    }
    if (om && !this.sawEof) {
      this.lineNo++;
      this.fail('data does not end with # EOF');
    }
    return Entry.End;
  }

  private fail(reason: string): never {
    throw new ParseError(this.lineNo, reason);
  }

  private parseComment(start: number, end: number): Entry | undefined {
    const text = this.text;
    const om = this.format === 'openmetrics';
    const line = text.slice(start, end);
    if (om && line === '# EOF') {
      this.sawEof = true;
      return undefined;
    }
    let i = start + 1;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    let j = i;
    while (j < end && !isBlank(text.charCodeAt(j))) j++;
    const keyword = text.slice(i, j);
    let kind: Entry;
    if (keyword === 'HELP') kind = Entry.Help;
    else if (keyword === 'TYPE') kind = Entry.Type;
    else if (keyword === 'UNIT' && om) kind = Entry.Unit;
    else {
      if (om)
        this.fail(`invalid comment "${truncate(line)}" (OpenMetrics allows only HELP, TYPE, UNIT and EOF)`);
      return undefined; // a plain comment in the text format
    }
    if (j === i + 4 && j < end) j++;
    else if (j === end) this.fail(`${keyword} without a metric name`);
    while (!om && j < end && isBlank(text.charCodeAt(j))) j++;
    const nameStart = j;
    while (j < end && isMetricNameChar(text.charCodeAt(j), j === nameStart)) j++;
    if (j === nameStart) this.fail(`${keyword}: invalid metric name in "${truncate(line)}"`);
    this.metricName = text.slice(nameStart, j);
    if (j < end && !isBlank(text.charCodeAt(j)))
      this.fail(`${keyword}: invalid metric name in "${truncate(line)}"`);
    if (j < end) j++;
    if (!om) while (j < end && isBlank(text.charCodeAt(j))) j++;
    let rest = text.slice(j, end);
    if (kind === Entry.Help) {
      this.metaText = unescapeHelp(rest, om);
    } else {
      if (!om) rest = rest.trimEnd();
      if (kind === Entry.Type && !(om ? OM_TYPES : TEXT_TYPES).has(rest))
        this.fail(`invalid metric type "${rest}"`);
      if (kind === Entry.Unit && rest !== '' && !/^[a-zA-Z0-9_:]+$/.test(rest))
        this.fail(`invalid unit "${rest}"`);
      this.metaText = rest;
    }
    return kind;
  }

  private parseSample(start: number, end: number): void {
    const text = this.text;
    const om = this.format === 'openmetrics';
    let i = start;
    let j: number;
    this.seriesStart = start;
    const hint = this.hint;
    this.hintMatched = false;
    if (hint !== undefined && text.startsWith(hint, start) && isBlank(text.charCodeAt(start + hint.length))) {
      // Same series text as the caller's expectation, which was fully checked when first seen.
      // `name {` (blank before the brace) is the one way a valid prefix could still continue.
      j = start + hint.length;
      while (j < end && isBlank(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== OPEN_BRACE) {
        this.hintMatched = true;
        i = start + hint.length;
        this.nameEnd = -1;
      }
    }
    if (!this.hintMatched) {
      if (!isMetricNameChar(text.charCodeAt(i), true))
        this.fail(`invalid metric name at "${truncate(text.slice(start, end))}"`);
      i++;
      while (i < end && isMetricNameChar(text.charCodeAt(i), false)) i++;
      this.nameEnd = i;
      j = i;
      if (!om) while (j < end && isBlank(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === OPEN_BRACE) i = this.skipLabels(j + 1, end);
    }
    const c = text.charCodeAt(i);
    this.seriesEnd = i;
    if (i >= end || !isBlank(c))
      this.fail(`expected a value after the series in "${truncate(text.slice(start, end))}"`);
    // value
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    j = i;
    while (j < end && !isBlank(text.charCodeAt(j))) j++;
    const value = parseDecimalAt(text, i, j) ?? parseFloatValue(text.slice(i, j));
    if (value === undefined) this.fail(`invalid value "${text.slice(i, j)}"`);
    this.value = value;
    // optional timestamp, then (OpenMetrics) an optional exemplar, which is skipped
    i = j;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    this.timestamp = undefined;
    if (i < end && text.charCodeAt(i) !== HASH) {
      j = i;
      while (j < end && !isBlank(text.charCodeAt(j))) j++;
      this.timestamp = this.parseTimestamp(text.slice(i, j));
      i = j;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
    }
    if (i < end) {
      if (!om || text.charCodeAt(i) !== HASH)
        this.fail(`unexpected text "${truncate(text.slice(i, end))}" after the value`);
      this.checkExemplar(i + 1, end);
    }
  }

  private parseTimestamp(s: string): number {
    if (this.format === 'openmetrics') {
      const seconds = parseFloatValue(s);
      if (seconds === undefined || !Number.isFinite(seconds)) this.fail(`invalid timestamp "${s}"`);
      return Math.trunc(seconds * 1000);
    }
    const ms = parseIntValue(s);
    if (ms === undefined) this.fail(`invalid timestamp "${s}" (the text format wants integer milliseconds)`);
    return ms;
  }

  private checkExemplar(i: number, end: number): void {
    const text = this.text;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== OPEN_BRACE) this.fail('invalid exemplar: expected "{"');
    i = this.skipLabels(i + 1, end);
    const rest = text
      .slice(i, end)
      .trim()
      .split(/[ \t]+/);
    if (rest.length < 1 || rest.length > 2 || parseFloatValue(rest[0]) === undefined)
      this.fail('invalid exemplar value');
    if (rest.length === 2 && parseFloatValue(rest[1]) === undefined) this.fail('invalid exemplar timestamp');
  }

  /**
   * Scans a label block from just after `{` and returns the index after `}`. Checks the syntax
   * (names, `=`, quoted values, commas) without building anything.
   */
  private skipLabels(i: number, end: number): number {
    const text = this.text;
    for (;;) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i >= end) this.fail('unterminated label set');
      let c = text.charCodeAt(i);
      if (c === CLOSE_BRACE) return i + 1;
      if (!isNameStart(c)) this.fail(`invalid label name at "${truncate(text.slice(i, end))}"`);
      i++;
      while (i < end && isNameChar(text.charCodeAt(i))) i++;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== EQUALS)
        this.fail(`expected "=" after label name at "${truncate(text.slice(i, end))}"`);
      i++;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== QUOTE) this.fail('expected a quoted label value');
      i++;
      for (;;) {
        if (i >= end) this.fail('unterminated label value');
        c = text.charCodeAt(i);
        if (c === QUOTE) break;
        if (c === BACKSLASH) i++;
        i++;
      }
      i++;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      c = text.charCodeAt(i);
      if (c === COMMA) i++;
      else if (c !== CLOSE_BRACE)
        this.fail(`expected "," or "}" in label set at "${truncate(text.slice(i, end))}"`);
    }
  }

  /** Metric name of the current sample. */
  sampleName(): string {
    if (this.nameEnd < 0) {
      let i = this.seriesStart + 1;
      while (isMetricNameChar(this.text.charCodeAt(i), false)) i++;
      this.nameEnd = i;
    }
    return this.text.slice(this.seriesStart, this.nameEnd);
  }

  /**
   * The current sample's labels including `__name__`, sorted by name. Throws ParseError on a
   * duplicate label name.
   */
  labels(): Label[] {
    const text = this.text;
    const out: Label[] = [{ name: METRIC_NAME, value: this.sampleName() }];
    let i = this.nameEnd;
    const end = this.seriesEnd;
    while (i < end && text.charCodeAt(i) !== OPEN_BRACE) i++;
    i++;
    while (i < end) {
      while (i < end && (isBlank(text.charCodeAt(i)) || text.charCodeAt(i) === COMMA)) i++;
      if (i >= end || text.charCodeAt(i) === CLOSE_BRACE) break;
      const nameStart = i;
      while (isNameChar(text.charCodeAt(i))) i++;
      const name = text.slice(nameStart, i);
      while (text.charCodeAt(i) !== QUOTE) i++;
      i++;
      const valueStart = i;
      let escaped = false;
      while (text.charCodeAt(i) !== QUOTE) {
        if (text.charCodeAt(i) === BACKSLASH) {
          escaped = true;
          i++;
        }
        i++;
      }
      const raw = text.slice(valueStart, i);
      i++;
      out.push({ name, value: escaped ? unescapeLabelValue(raw) : raw });
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let k = 1; k < out.length; k++) {
      if (out[k].name === out[k - 1].name) this.fail(`label name "${out[k].name}" is not unique`);
    }
    return out;
  }
}

function isMetricNameChar(c: number, first: boolean): boolean {
  return isNameStart(c) || c === 58 || (!first && c >= 48 && c <= 57);
}

function unescapeLabelValue(raw: string): string {
  return raw.replace(/\\(.)/gs, (_m, ch: string) =>
    ch === 'n' ? '\n' : ch === '\\' || ch === '"' ? ch : `\\${ch}`,
  );
}

function unescapeHelp(raw: string, om: boolean): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(.)/gs, (_m, ch: string) =>
    ch === 'n' ? '\n' : ch === '\\' || (om && ch === '"') ? ch : `\\${ch}`,
  );
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The exposition format of a response from its Content-Type, as Prometheus 2.42 decides it. */
export function formatForContentType(contentType: string | undefined): ExpositionFormat {
  return contentType?.toLowerCase().startsWith('application/openmetrics-text') ? 'openmetrics' : 'text';
}
