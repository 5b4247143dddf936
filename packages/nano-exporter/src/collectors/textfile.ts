import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Logger } from '@motley/exporter-kit';
import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import type { NodeCollectorSpec } from '../node-collector.js';
import { parseExposition } from '../textfile/exposition-parser.js';

export interface TextfileResult {
  families: MetricFamily[];
  mtimes: { file: string; seconds: number }[];
  errors: string[];
}

function seriesKey(name: string, labels: Record<string, string> | undefined): string {
  if (!labels) return name;
  return `${name}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',')}}`;
}

/**
 * Reads every `*.prom` file of the directory. A file that cannot be read or parsed, or that
 * repeats a series another file already gave, is skipped whole and counted as an error; the
 * other files still count.
 */
export function readTextfiles(dir: string): TextfileResult {
  const result: TextfileResult = { families: [], mtimes: [], errors: [] };
  let entries: string[];
  try {
    entries = readdirSync(dir)
      .filter((f) => f.endsWith('.prom'))
      .sort();
  } catch (e) {
    result.errors.push(
      `cannot read directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
    return result;
  }
  const byName = new Map<string, MetricFamily>();
  const seen = new Set<string>();
  for (const entry of entries) {
    const path = `${dir}/${entry}`;
    try {
      const mtimeMs = statSync(path).mtimeMs;
      const families = parseExposition(readFileSync(path, 'utf8'), `Metric read from ${path}`);
      const keys = new Set<string>();
      for (const f of families) {
        const known = byName.get(f.name);
        if (known && known.type !== f.type)
          throw new Error(`${f.name} is ${f.type} here but ${known.type} in an earlier file`);
        for (const s of f.samples) {
          const key = seriesKey(s.name ?? f.name, s.labels);
          if (seen.has(key) || keys.has(key)) throw new Error(`series ${key} appears twice`);
          keys.add(key);
        }
      }
      for (const k of keys) seen.add(k);
      for (const f of families) {
        const known = byName.get(f.name);
        if (known) known.samples.push(...f.samples);
        else byName.set(f.name, f);
      }
      result.mtimes.push({ file: path, seconds: Math.floor(mtimeMs / 1000) });
    } catch (e) {
      result.errors.push(`${path}: ${(e as Error).message}`);
    }
  }
  result.families = [...byName.values()];
  return result;
}

export function textfileFamilies(r: TextfileResult): MetricFamily[] {
  const mtime: Sample[] = r.mtimes.map((m) => ({ labels: { file: m.file }, value: m.seconds }));
  return [
    ...r.families,
    gauge('node_textfile_mtime_seconds', 'Unixtime mtime of textfiles successfully read.', mtime),
    gauge('node_textfile_scrape_error', '1 if there was an error opening or reading a file, 0 otherwise', [
      { value: r.errors.length ? 1 : 0 },
    ]),
  ];
}

function logErrors(log: Logger, errors: string[]): void {
  for (const err of errors) log.error('textfile skipped', { err });
}

export const textfileCollector: NodeCollectorSpec = {
  name: 'textfile',
  defaultEnabled: true,
  help: 'metrics from *.prom files in --collector.textfile.directory (cron jobs, scripts)',
  create: ({ flags, log }) => {
    const dir = flags.string('collector.textfile.directory');
    let lastErrors: string[] = [];
    return {
      name: 'textfile',
      collect: () => {
        if (!dir) return textfileFamilies({ families: [], mtimes: [], errors: [] });
        const r = readTextfiles(dir);
        logErrors(log, r.errors);
        lastErrors = r.errors;
        return textfileFamilies(r);
      },
      absentReason: () => (lastErrors.length ? `textfile: ${lastErrors.join('; ')}` : undefined),
    };
  },
};
