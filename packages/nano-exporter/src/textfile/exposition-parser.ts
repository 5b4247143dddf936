import type { MetricFamily, MetricType, Sample } from '@motley/exporter-kit';

/** A line-numbered parse error: "line 3: ...". */
export class ExpositionSyntaxError extends Error {}

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;

function unescapeText(s: string, quotes: boolean): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (m, c: string) =>
    c === 'n' ? '\n' : c === '\\' ? '\\' : quotes && c === '"' ? '"' : m,
  );
}

export function parseSampleValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  if (s === 'NaN') return Number.NaN;
  const v = Number(s);
  if (s === '' || Number.isNaN(v)) throw new Error(`bad value ${JSON.stringify(s)}`);
  return v;
}

/** Parses `{a="x",b="y"}` starting at `pos` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, pos: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = pos + 1;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const nameStart = i;
    while (i < line.length && NAME_CHAR.test(line[i])) i++;
    const name = line.slice(nameStart, i);
    if (!name || line[i] !== '=' || line[i + 1] !== '"') throw new Error('malformed label set');
    i += 2;
    const valueStart = i;
    while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
    if (i >= line.length) throw new Error('unterminated label value');
    if (name in labels) throw new Error(`duplicate label ${name}`);
    labels[name] = unescapeText(line.slice(valueStart, i), true);
    i++;
  }
}

/** The family a sample belongs to: histogram and summary samples carry suffixes. */
function familyNameFor(sample: string, types: Map<string, MetricType>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue;
    const base = sample.slice(0, -suffix.length);
    const t = types.get(base);
    if (t === 'histogram' || (t === 'summary' && suffix !== '_bucket')) return base;
  }
  return sample;
}

/**
 * The Prometheus text format 0.0.4, as node_exporter's textfile collector reads it. Client-side
 * timestamps are refused (a node metric has the scrape's time), as node_exporter does.
 */
export function parseExposition(text: string, defaultHelp: string): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const types = new Map<string, MetricType>();
  const helps = new Map<string, string>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) {
      f = { name, help: helps.get(name) ?? defaultHelp, type: types.get(name) ?? 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const all = text.split('\n');
  for (let n = 0; n < all.length; n++) {
    const line = all[n].trim();
    if (line === '') continue;
    try {
      if (line.startsWith('#')) {
        const m = /^#\s*(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
        if (!m) continue;
        const [, kind, name, rest = ''] = m;
        if (kind === 'TYPE') {
          if (!TYPES.has(rest as MetricType)) throw new Error(`unknown type ${JSON.stringify(rest)}`);
          if (types.has(name)) throw new Error(`second TYPE line for ${name}`);
          if (families.get(name)?.samples.length) throw new Error(`TYPE for ${name} after its samples`);
          types.set(name, rest as MetricType);
          family(name).type = rest as MetricType;
        } else {
          if (helps.has(name)) throw new Error(`second HELP line for ${name}`);
          const help = unescapeText(rest, false);
          helps.set(name, help);
          family(name).help = help;
        }
        continue;
      }
      if (!NAME_START.test(line[0])) throw new Error('expected a metric name');
      let i = 1;
      while (i < line.length && NAME_CHAR.test(line[i])) i++;
      const name = line.slice(0, i);
      let labels: Record<string, string> | undefined;
      if (line[i] === '{') {
        const parsed = parseLabels(line, i);
        labels = parsed.labels;
        i = parsed.end;
      }
      const rest = line.slice(i).trim().split(/\s+/);
      if (rest.length > 1) throw new Error('client-side timestamps are not supported');
      const sample: Sample = { labels, value: parseSampleValue(rest[0]) };
      const familyName = familyNameFor(name, types);
      if (familyName !== name) sample.name = name;
      family(familyName).samples.push(sample);
    } catch (e) {
      throw new ExpositionSyntaxError(`line ${n + 1}: ${(e as Error).message}`);
    }
  }
  return [...families.values()].filter((f) => f.samples.length > 0);
}
