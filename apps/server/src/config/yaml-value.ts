import { parseDuration } from '@motley/exporter-kit';
import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument } from 'yaml';

/** A configuration mistake; the message is `file:line: key: reason`. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

interface Source {
  file: string;
  lines: LineCounter;
}

/**
 * A YAML value with where it came from, so every check can name the file, line and key.
 * Readers take the shape they expect (map with known keys, list, string, duration...) and fail
 * with a ConfigError otherwise.
 */
export class YamlValue {
  constructor(
    private readonly src: Source,
    readonly node: Node | null,
    /** The key path for messages, e.g. `scrape_configs[0].scrape_interval`. */
    readonly key: string,
    private readonly keyOffset?: number,
  ) {}

  static parse(text: string, file: string): YamlValue {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0]?.line ?? lines.linePos(first.pos[0]).line;
      throw new ConfigError(`${file}:${line}: ${first.message.split('\n')[0]}`);
    }
    return new YamlValue({ file, lines }, (doc.contents as Node | null) ?? null, '');
  }

  /** The line of the value's key when it has one (errors point at `key:`), else of the value. */
  get line(): number {
    const offset = this.keyOffset ?? this.node?.range?.[0] ?? 0;
    return this.src.lines.linePos(offset).line;
  }

  get file(): string {
    return this.src.file;
  }

  fail(reason: string): never {
    throw new ConfigError(`${this.src.file}:${this.line}: ${this.key || '(top level)'}: ${reason}`);
  }

  isNull(): boolean {
    return this.node === null || (isScalar(this.node) && this.node.value === null);
  }

  private child(node: Node | null, key: string, offset: number | undefined): YamlValue {
    return new YamlValue(this.src, node, key, offset);
  }

  private childKey(name: string | number): string {
    return typeof name === 'number' ? `${this.key}[${name}]` : this.key ? `${this.key}.${name}` : name;
  }

  /** A mapping whose keys must all be in `allowed`; an empty/null node is an empty map. */
  map(allowed: readonly string[]): Map<string, YamlValue> {
    const out = new Map<string, YamlValue>();
    if (this.isNull()) return out;
    if (!isMap(this.node)) this.fail('expected a mapping of keys to values');
    for (const pair of this.node.items as Pair<Node, Node | null>[]) {
      const keyNode = pair.key;
      const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const offset = keyNode?.range?.[0] ?? 0;
      const value = this.child(pair.value ?? null, this.childKey(name), offset);
      if (!allowed.includes(name)) {
        const where = this.child(keyNode, this.childKey(name), offset);
        const guess = closest(name, allowed);
        where.fail(`unknown key "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
      }
      out.set(name, value);
    }
    return out;
  }

  /** A mapping of arbitrary string keys (labels, params). */
  entries(): Array<[string, YamlValue]> {
    if (this.isNull()) return [];
    if (!isMap(this.node)) this.fail('expected a mapping');
    return (this.node.items as Pair<Node, Node | null>[]).map((pair) => {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      return [name, this.child(pair.value ?? null, this.childKey(name), pair.key?.range?.[0] ?? 0)];
    });
  }

  list(): YamlValue[] {
    if (this.isNull()) return [];
    if (!isSeq(this.node)) this.fail('expected a list');
    return this.node.items.map((n, i) => this.child((n as Node) ?? null, this.childKey(i), undefined));
  }

  string(): string {
    if (this.isNull()) return '';
    if (!isScalar(this.node) || typeof this.node.value === 'object') this.fail('expected a string');
    return String(this.node.value);
  }

  stringList(): string[] {
    return this.list().map((v) => v.string());
  }

  boolean(): boolean {
    if (!isScalar(this.node) || typeof this.node.value !== 'boolean') this.fail('expected true or false');
    return this.node.value;
  }

  /** A non-negative integer. */
  integer(): number {
    const v = isScalar(this.node) ? this.node.value : undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0)
      this.fail(`expected a non-negative integer, got ${JSON.stringify(v ?? null)}`);
    return n;
  }

  /** A duration in Prometheus' grammar (`15s`, `1m30s`, `2h`), in milliseconds. */
  duration(): number {
    const text = this.string();
    try {
      return parseDuration(text);
    } catch {
      this.fail(`not a valid duration "${text}" (use e.g. 15s, 1m, 1h30m)`);
    }
  }

  /** A size with base-2 units as Prometheus' body_size_limit (`10MB`, `512KiB`, `0` = none), in bytes. */
  byteSize(): number {
    const text = this.string();
    const m = /^(\d+)\s*([KMGTPE]?)(i?B)?$/i.exec(text);
    if (!m || (m[2] === '' && m[3] === undefined && m[1] !== '0')) {
      this.fail(`not a valid size "${text}" (use e.g. 0, 512KB, 10MB, 1GB)`);
    }
    const power = ' KMGTPE'.indexOf(m[2].toUpperCase() || ' ');
    return Number(m[1]) * 1024 ** power;
  }

  /** Plain JavaScript value of the node, for fingerprints. */
  toJSON(): unknown {
    return this.node?.toJSON() ?? null;
  }
}

/** The allowed key within edit distance 2 of a mistyped one, if any. */
function closest(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
