import { getLabel, isValidLabelName, type Labels } from '../../model/labels.js';
import { compileAnchoredRegex } from '../../model/matchers.js';
import { QueryError } from '../errors.js';
import { withLabel } from '../labels-util.js';
import type { StepSeries } from '../value.js';

/** Expands $1, ${1}, $name and ${name} (Go regexp.Expand) from a match. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(
    /\$(\$|\{([a-zA-Z0-9_]+)\}|([a-zA-Z0-9_]+))/g,
    (_all, whole: string, braced?: string, bare?: string) => {
      if (whole === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
      return match.groups?.[name] ?? '';
    },
  );
}

/** label_replace(v, dst, replacement, src, regex). */
export function labelReplace(
  series: StepSeries[],
  dst: string,
  replacement: string,
  src: string,
  regex: string,
): StepSeries[] {
  let re: RegExp;
  try {
    re = compileAnchoredRegex(regex);
  } catch {
    throw new QueryError(`invalid regular expression in label_replace(): ${regex}`);
  }
  if (!isValidLabelName(dst))
    throw new QueryError(`invalid destination label name in label_replace(): ${dst}`);
  return series.map((s) => {
    const value = getLabel(s.labels, src);
    const m = re.exec(value);
    if (!m) return s;
    return { ...s, labels: withLabel(s.labels, dst, expandTemplate(replacement, m)) };
  });
}

/** label_join(v, dst, separator, src...). */
export function labelJoin(
  series: StepSeries[],
  dst: string,
  separator: string,
  sources: string[],
): StepSeries[] {
  if (!isValidLabelName(dst)) throw new QueryError(`invalid destination label name in label_join(): ${dst}`);
  return series.map((s) => {
    const joined = sources.map((name) => getLabel(s.labels, name)).join(separator);
    return { ...s, labels: withLabel(s.labels, dst, joined) };
  });
}

export function compareByLabelValues(a: Labels, b: Labels, names: string[]): number {
  for (const name of names) {
    const x = getLabel(a, name);
    const y = getLabel(b, name);
    if (x !== y) return naturalCompare(x, y);
  }
  return 0;
}

/** Natural order as sort_by_label uses it: runs of digits compare as numbers ("a2" < "a10"). */
export function naturalCompare(x: string, y: string): number {
  const chunks = /(\d+|\D+)/g;
  const xs = x.match(chunks) ?? [];
  const ys = y.match(chunks) ?? [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const a = xs[i];
    const b = ys[i];
    if (a === b) continue;
    const aDigits = /^\d/.test(a);
    const bDigits = /^\d/.test(b);
    if (aDigits && bDigits) {
      const aTrim = a.replace(/^0+(?=\d)/, '');
      const bTrim = b.replace(/^0+(?=\d)/, '');
      if (aTrim.length !== bTrim.length) return aTrim.length - bTrim.length;
      if (aTrim !== bTrim) return aTrim < bTrim ? -1 : 1;
      return a.length - b.length;
    }
    return a < b ? -1 : 1;
  }
  return xs.length - ys.length;
}
