/** One label pair. Label sets are arrays sorted by name, with no duplicate names. */
export interface Label {
  readonly name: string;
  readonly value: string;
}
export type Labels = readonly Label[];

export const METRIC_NAME = '__name__';

/** Builds a sorted label set from a plain object; empty values are dropped as in Prometheus. */
export function labelsFromRecord(record: Record<string, string>): Labels {
  const out: Label[] = [];
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value !== '') out.push({ name, value });
  }
  return sortLabels(out);
}

export function labelsToRecord(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l.name] = l.value;
  return out;
}

export function sortLabels(labels: Label[]): Label[] {
  return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function getLabel(labels: Labels, name: string): string {
  for (const l of labels) if (l.name === name) return l.value;
  return '';
}

/** A string that identifies the label set: equal sets give equal keys. */
export function labelsKey(labels: Labels): string {
  let key = '';
  for (const l of labels) key += `${l.name}\xff${l.value}\xfe`;
  return key;
}

/** Prometheus' text form: `name{a="1", b="2"}`. */
export function formatLabels(labels: Labels): string {
  const name = getLabel(labels, METRIC_NAME);
  const rest = labels
    .filter((l) => l.name !== METRIC_NAME)
    .map((l) => `${l.name}=${JSON.stringify(l.value)}`);
  return rest.length === 0 && name ? name : `${name}{${rest.join(', ')}}`;
}

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name);
}
export function isValidMetricName(name: string): boolean {
  return METRIC_NAME_RE.test(name);
}

/** Orders label sets as Prometheus does: pairwise by name, then value; a prefix sorts first. */
export function compareLabelSets(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i].name !== b[i].name) return a[i].name < b[i].name ? -1 : 1;
    if (a[i].value !== b[i].value) return a[i].value < b[i].value ? -1 : 1;
  }
  return a.length - b.length;
}
