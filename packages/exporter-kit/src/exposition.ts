/**
 * Metric families as plain data, and their rendering in the Prometheus text format 0.0.4.
 * Collectors return families; the kit renders them together with the prom-client registry.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
export type Labels = Record<string, string>;

export interface Sample {
  /** Full sample name when it differs from the family's (histogram `_bucket`, `_sum`, `_count`). */
  name?: string;
  labels?: Labels;
  value: number;
  /** Milliseconds since the epoch; rarely wanted for exporters. */
  timestamp?: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** Convenience for the common one-family-of-gauges case. */
export function gauge(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}
export function counter(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'counter', samples };
}

export function formatValue(v: number): string {
  // JavaScript already prints NaN as the format wants; only the infinities are spelled otherwise.
  // (Global comparisons and a template: a third cheaper than Number.isNaN and String() interpreted.)
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return `${v}`;
}

// indexOf rather than a regex test: most values need no escaping (measured without an optimizing
// compiler, as nano-exporter runs, the regex checks were a fifth of the rendering time).
function escapeLabelValue(v: string): string {
  if (v.indexOf('\\') < 0 && v.indexOf('\n') < 0 && v.indexOf('"') < 0) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  if (v.indexOf('\\') < 0 && v.indexOf('\n') < 0) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function renderLabels(labels: Labels): string {
  let out = '';
  let separator = '{';
  for (const k in labels) {
    out += `${separator}${k}="${escapeLabelValue(labels[k])}"`;
    separator = ',';
  }
  return out === '' ? '' : `${out}}`;
}

/**
 * Renders families sorted by name; families with the same name are merged (first HELP/TYPE wins)
 * so that two sources never produce a duplicate `# TYPE` line, which parsers reject.
 * Indexed loops and one string per sample line: without an optimizing compiler (nano-exporter's
 * unit), iterators and extra concatenations cost a fifth of the rendering time.
 */
export function renderFamilies(families: readonly MetricFamily[]): string {
  const byName = new Map<string, MetricFamily>();
  for (let i = 0; i < families.length; i++) {
    const f = families[i];
    const seen = byName.get(f.name);
    // A copy only where two families merge: the caller's objects are left as they were.
    if (seen) byName.set(f.name, { ...seen, samples: seen.samples.concat(f.samples) });
    else byName.set(f.name, f);
  }
  const names = [...byName.keys()].sort();
  let out = '';
  for (let n = 0; n < names.length; n++) {
    const name = names[n];
    const f = byName.get(name)!;
    const samples = f.samples;
    if (samples.length === 0) continue;
    out += `# HELP ${name} ${escapeHelp(f.help)}\n# TYPE ${name} ${f.type}\n`;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      const line = `${s.name ?? name}${s.labels === undefined ? '' : renderLabels(s.labels)} ${formatValue(s.value)}`;
      out += s.timestamp === undefined ? `${line}\n` : `${line} ${Math.round(s.timestamp)}\n`;
    }
  }
  return out;
}
