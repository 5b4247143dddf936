import { formatLabels, type Labels, labelsKey, sortLabels } from '../../src/model/labels.js';
import { Engine, type QueryResult } from '../../src/promql/engine.js';
import { parseDurationLiteral, parseNumberLiteral } from '../../src/promql/literals.js';
import { parseExpr } from '../../src/promql/parser.js';
import { FixtureQueryable } from './fixture-queryable.js';

/**
 * Runs scripts in Prometheus' promqltest format:
 *
 *   load <interval>
 *     <series> <values>          values: 1 2 _ stale NaN Inf 0+10x5 1-2x3 _x4 3x2
 *   clear
 *   eval instant at <time> <query>
 *     <series or {}> <value>     (a bare number for a scalar result)
 *   eval range from <t> to <t> step <d> <query>
 *     <series> <values>
 *   eval_ordered instant at <time> <query>   (order of the expected lines matters)
 *   eval_fail instant|range ... <query>
 *     expected_fail_message <text>           (optional; also expected_fail_regexp)
 */

export const STALE_NAN = (() => {
  const b = new ArrayBuffer(8);
  const u = new Uint32Array(b);
  u[0] = 2;
  u[1] = 0x7ff00000;
  return new Float64Array(b)[0];
})();

interface Command {
  line: number;
  kind: string;
  header: string;
  body: string[];
}

export interface ScriptFailure {
  line: number;
  message: string;
}

function parseTime(text: string): number {
  const d = parseDurationLiteral(text);
  if (d === undefined) throw new Error(`bad time ${text}`);
  return d;
}

function parseSeriesLabels(text: string): Labels {
  const e = parseExpr(text);
  if (e.type !== 'vectorSelector') throw new Error(`not a series: ${text}`);
  return sortLabels(e.matchers.map((m) => ({ name: m.name, value: m.value })));
}

/** Splits `metric{a="b c"} 1 2 3` into the series text and the values text. */
function splitSeriesLine(line: string): [string, string] {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0 && /\s/.test(c)) return [line.slice(0, i), line.slice(i).trim()];
  }
  return [line, ''];
}

/** Expands value notation to a list where undefined means "no sample". */
export function expandValues(text: string): (number | undefined | 'stale')[] {
  // Stale markers stay symbolic here: a JS array of doubles would canonicalise their NaN payload.
  const out: (number | undefined | 'stale')[] = [];
  for (const tok of text.split(/\s+/).filter(Boolean)) {
    if (tok === '_') {
      out.push(undefined);
      continue;
    }
    if (tok === 'stale') {
      out.push('stale');
      continue;
    }
    const blank = /^_x(\d+)$/.exec(tok);
    if (blank) {
      for (let i = 0; i < Number(blank[1]); i++) out.push(undefined);
      continue;
    }
    const m = /^([-+]?[^x+-]+(?:e[-+]?\d+)?)(?:([-+])([^x]+))?x(\d+)$/i.exec(tok);
    if (m) {
      const start = num(m[1]);
      const inc = m[3] ? num(m[3]) * (m[2] === '-' ? -1 : 1) : 0;
      for (let i = 0; i <= Number(m[4]); i++) out.push(start + inc * i);
      continue;
    }
    out.push(num(tok));
  }
  return out;
}

function num(text: string): number {
  const neg = text.startsWith('-');
  const body = text.replace(/^[-+]/, '');
  const v = parseNumberLiteral(body);
  if (v === undefined) throw new Error(`bad number ${text}`);
  return neg ? -v : v;
}

function parseCommands(script: string): Command[] {
  const commands: Command[] = [];
  script.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    if (/^\s/.test(line)) {
      const last = commands[commands.length - 1];
      if (!last) throw new Error(`line ${i + 1}: indented line outside a command`);
      last.body.push(line.trim());
      return;
    }
    const kind = line.split(/\s+/)[0];
    commands.push({ line: i + 1, kind, header: line.slice(kind.length).trim(), body: [] });
  });
  return commands;
}

function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

/** Runs a script; returns every failed expectation (empty when the script passes). */
export async function runScript(script: string): Promise<ScriptFailure[]> {
  const engine = new Engine({ timeout: 120_000, maxSamples: 50_000_000, lookbackDelta: 300_000 });
  let storage = new FixtureQueryable();
  const failures: ScriptFailure[] = [];
  for (const cmd of parseCommands(script)) {
    try {
      if (cmd.kind === 'clear') storage = new FixtureQueryable();
      else if (cmd.kind === 'load') load(storage, cmd);
      else if (cmd.kind.startsWith('eval')) {
        const problem = evaluate(engine, storage, cmd);
        if (problem) failures.push({ line: cmd.line, message: problem });
      } else throw new Error(`unknown command ${cmd.kind}`);
    } catch (e) {
      failures.push({ line: cmd.line, message: `${cmd.kind} ${cmd.header}: ${(e as Error).message}` });
    }
  }
  return failures;
}

function load(storage: FixtureQueryable, cmd: Command): void {
  const interval = parseTime(cmd.header);
  for (const line of cmd.body) {
    const [seriesText, valuesText] = splitSeriesLine(line);
    const points: { t: number; v: number }[] = [];
    expandValues(valuesText).forEach((v, i) => {
      if (v !== undefined) points.push({ t: i * interval, v: v === 'stale' ? STALE_NAN : v });
    });
    storage.add(parseSeriesLabels(seriesText), points);
  }
}

interface Expected {
  raw?: string;
  labels?: Labels;
  values: (number | undefined | 'stale')[];
}

function evaluate(engine: Engine, storage: FixtureQueryable, cmd: Command): string | undefined {
  const fail = cmd.kind === 'eval_fail';
  const ordered = cmd.kind === 'eval_ordered';
  const instant = /^instant\s+at\s+(\S+)\s+(.*)$/s.exec(cmd.header);
  const range = /^range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.*)$/s.exec(cmd.header);
  if (!instant && !range)
    throw new Error('expected "instant at T QUERY" or "range from T to T step D QUERY"');
  const query = instant ? instant[2] : range![4];
  let result: QueryResult;
  try {
    result = instant
      ? engine.instantQuery(storage, query, parseTime(instant[1]))
      : engine.rangeQuery(storage, query, parseTime(range![1]), parseTime(range![2]), parseTime(range![3]));
  } catch (e) {
    if (!fail) return `${query}: unexpected error: ${(e as Error).message}`;
    const wantMsg = cmd.body.find((b) => b.startsWith('expected_fail_message '));
    const wantRe = cmd.body.find((b) => b.startsWith('expected_fail_regexp '));
    const msg = (e as Error).message;
    if (wantMsg && msg !== wantMsg.slice('expected_fail_message '.length))
      return `${query}: error "${msg}" != "${wantMsg}"`;
    if (wantRe && !new RegExp(wantRe.slice('expected_fail_regexp '.length)).test(msg)) {
      return `${query}: error "${msg}" does not match ${wantRe}`;
    }
    return undefined;
  }
  if (fail) return `${query}: expected an error, got ${result.resultType}`;
  const expected: Expected[] = cmd.body.map((line) => {
    if (line.startsWith('"')) return { raw: line, values: [] };
    if (/^[-+]?(\d|\.\d|Inf|NaN)/i.test(line)) return { values: expandValues(line) };
    const [s, v] = splitSeriesLine(line);
    return { labels: s === '{}' ? [] : parseSeriesLabels(s), values: expandValues(v) };
  });
  return compareResult(query, result, expected, ordered);
}

function compareResult(
  query: string,
  result: QueryResult,
  expected: Expected[],
  ordered: boolean,
): string | undefined {
  if (result.resultType === 'scalar') {
    if (expected.length !== 1 || expected[0].labels)
      return `${query}: got scalar ${result.v}, expected a vector`;
    const want = expected[0].values[0] as number;
    return almostEqual(result.v, want) ? undefined : `${query}: scalar ${result.v} != ${want}`;
  }
  if (result.resultType === 'string') {
    const want = expected[0]?.raw;
    return want !== undefined && JSON.stringify(result.s) === want
      ? undefined
      : `${query}: string ${JSON.stringify(result.s)} != ${want}`;
  }
  const got = new Map<string, { labels: Labels; values: (number | undefined)[]; index: number }>();
  if (result.resultType === 'vector') {
    for (const [index, s] of result.series.entries()) {
      got.set(labelsKey(s.labels), { labels: s.labels, values: [s.v], index });
    }
  } else {
    for (const [index, s] of result.series.entries()) {
      got.set(labelsKey(s.labels), { labels: s.labels, values: [...s.v], index });
    }
  }
  const problems: string[] = [];
  let expectedIndex = 0;
  for (const want of expected) {
    const key = labelsKey(want.labels ?? []);
    const have = got.get(key);
    if (!have) {
      problems.push(`missing ${formatLabels(want.labels ?? [])}`);
      continue;
    }
    got.delete(key);
    if (ordered && have.index !== expectedIndex)
      problems.push(`${formatLabels(have.labels)} at position ${have.index}, expected ${expectedIndex}`);
    expectedIndex++;
    const wantValues =
      result.resultType === 'matrix' ? want.values.filter((v) => v !== undefined) : want.values;
    if (
      wantValues.length !== have.values.length ||
      wantValues.some((v, i) => !almostEqual(have.values[i] as number, v as number))
    ) {
      problems.push(
        `${formatLabels(have.labels)}: got ${have.values.join(' ')}, expected ${wantValues.join(' ')}`,
      );
    }
  }
  for (const extra of got.values())
    problems.push(`unexpected ${formatLabels(extra.labels)} ${extra.values.join(' ')}`);
  return problems.length ? `${query}: ${problems.join('; ')}` : undefined;
}
