import { type Label, type Labels, METRIC_NAME } from '../model/labels.js';

/** Label-set functions the engine uses on every operator. */

export function dropMetricName(labels: Labels): Labels {
  if (labels.length === 0 || !labels.some((l) => l.name === METRIC_NAME)) return labels;
  return labels.filter((l) => l.name !== METRIC_NAME);
}

/** Labels restricted to `names` (by) or without `names` and __name__ (without). */
export function groupingLabels(labels: Labels, names: readonly string[], without: boolean): Labels {
  if (without) return labels.filter((l) => l.name !== METRIC_NAME && !names.includes(l.name));
  return labels.filter((l) => names.includes(l.name));
}

/** Sets (or with an empty value, removes) one label, keeping the set sorted. */
export function withLabel(labels: Labels, name: string, value: string): Labels {
  const out: Label[] = labels.filter((l) => l.name !== name);
  if (value !== '') {
    let i = 0;
    while (i < out.length && out[i].name < name) i++;
    out.splice(i, 0, { name, value });
  }
  return out;
}
