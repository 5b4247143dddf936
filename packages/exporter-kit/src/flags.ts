import { UsageError } from './errors.js';

/**
 * Command-line flags in node_exporter's dialect: `--name=value` or `--name value`, booleans as
 * `--name` / `--no-name` / `--name=false`, repeatable flags collected in order.
 */
export type FlagKind = 'string' | 'strings' | 'boolean' | 'number' | 'duration';

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  help: string;
  default?: string | string[] | boolean | number;
  /** Shown in --help instead of the kind, e.g. "CIDR,...". */
  placeholder?: string;
  /** Short alias without dashes, e.g. "k" for -k. */
  short?: string;
}

export type FlagValue = string | string[] | boolean | number | undefined;

export class ParsedFlags {
  constructor(
    private readonly values: Map<string, FlagValue>,
    /** Arguments that are not flags, in order. */
    readonly positional: string[],
    private readonly explicitlySet: Set<string>,
  ) {}

  private get(name: string): FlagValue {
    if (!this.values.has(name)) throw new Error(`flag --${name} was not declared`);
    return this.values.get(name);
  }
  string(name: string): string {
    const v = this.get(name);
    return v === undefined ? '' : String(v);
  }
  optionalString(name: string): string | undefined {
    const v = this.get(name);
    return v === undefined || v === '' ? undefined : String(v);
  }
  strings(name: string): string[] {
    const v = this.get(name);
    return Array.isArray(v) ? v : v === undefined ? [] : [String(v)];
  }
  boolean(name: string): boolean {
    return this.get(name) === true;
  }
  number(name: string): number {
    return Number(this.get(name));
  }
  /** Durations are returned in milliseconds. */
  duration(name: string): number {
    return Number(this.get(name));
  }
  /** Whether the user gave the flag on the command line (rather than its default applying). */
  isSet(name: string): boolean {
    return this.explicitlySet.has(name);
  }
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

/** Prometheus' duration grammar (`1h30m`, `15s`, `99y`, `500ms`); returns milliseconds. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+)(ms|s|m|h|d|w|y)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new UsageError(`not a valid duration: "${text}" (use e.g. 15s, 5m, 1h30m, 30d, 99y)`);
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    pos = re.lastIndex;
  }
  if (s.length === 0) throw new UsageError('empty duration');
  return total;
}

function convert(spec: FlagSpec, raw: string): FlagValue {
  switch (spec.kind) {
    case 'boolean': {
      const l = raw.toLowerCase();
      if (l === 'true' || l === '1') return true;
      if (l === 'false' || l === '0') return false;
      throw new UsageError(`--${spec.name}: expected true or false, got "${raw}"`);
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n))
        throw new UsageError(`--${spec.name}: not a number: "${raw}"`);
      return n;
    }
    case 'duration':
      try {
        return parseDuration(raw);
      } catch (e) {
        throw new UsageError(`--${spec.name}: ${(e as Error).message}`);
      }
    default:
      return raw;
  }
}

function initial(spec: FlagSpec): FlagValue {
  const d = spec.default;
  if (spec.kind === 'strings') return Array.isArray(d) ? [...d] : d === undefined ? [] : [String(d)];
  if (spec.kind === 'boolean') return d === true;
  if (d === undefined) return undefined;
  if (spec.kind === 'duration' && typeof d === 'string') return parseDuration(d);
  return d;
}

export function parseFlags(specs: FlagSpec[], argv: string[]): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.short) byName.set(s.short, s);
  }
  const values = new Map<string, FlagValue>();
  for (const s of specs) values.set(s.name, initial(s));
  const explicitly = new Set<string>();
  const positional: string[] = [];
  const seenStrings = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    let name = eq >= 0 ? body.slice(0, eq) : body;
    let raw: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    let spec = byName.get(name);
    if (!spec && name.startsWith('no-') && raw === undefined) {
      const positive = byName.get(name.slice(3));
      if (positive?.kind === 'boolean') {
        spec = positive;
        raw = 'false';
        name = positive.name;
      }
    }
    if (!spec) throw new UsageError(`unknown flag ${arg.split('=')[0]} (see --help)`);
    if (raw === undefined) {
      if (spec.kind === 'boolean') raw = 'true';
      else if (i + 1 < argv.length) raw = argv[++i];
      else throw new UsageError(`flag --${spec.name} needs a value`);
    }
    const value = convert(spec, raw);
    explicitly.add(spec.name);
    if (spec.kind === 'strings') {
      // The first explicit use replaces the default; later uses add to it.
      const list = seenStrings.has(spec.name) ? (values.get(spec.name) as string[]) : [];
      seenStrings.add(spec.name);
      list.push(
        ...String(value)
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x !== ''),
      );
      values.set(spec.name, list);
    } else {
      values.set(spec.name, value);
    }
  }
  return new ParsedFlags(values, positional, explicitly);
}

function formatDefault(spec: FlagSpec): string {
  const d = spec.default;
  if (d === undefined || d === '' || (Array.isArray(d) && d.length === 0)) return '';
  if (spec.kind === 'boolean') return d ? ' (default: enabled)' : '';
  return ` (default: ${Array.isArray(d) ? d.join(',') : String(d)})`;
}

/** The --help text: usage line, description, then every flag with its default. */
export function formatHelp(program: string, description: string, specs: FlagSpec[], usage?: string): string {
  const lines = [`usage: ${program} ${usage ?? '[<flags>]'}`, '', description, '', 'Flags:'];
  for (const s of specs) {
    const short = s.short ? `-${s.short}, ` : '';
    const long =
      s.kind === 'boolean'
        ? s.default === true
          ? `--[no-]${s.name}`
          : `--${s.name}`
        : `--${s.name}=${s.placeholder ?? s.kind.toUpperCase()}`;
    const repeat = s.kind === 'strings' ? ' (repeatable)' : '';
    lines.push(`  ${short}${long}`);
    lines.push(`      ${s.help}${repeat}${formatDefault(s)}`);
  }
  return `${lines.join('\n')}\n`;
}
