import { type Labels, labelsKey } from '../../model/labels.js';
import { dropMetricName } from '../labels-util.js';
import { newStepSeries, type StepSeries, type VectorValue } from '../value.js';
import type { Bucket } from './histogram.js';

/** Groups bucket series by their labels without `le` and __name__, then applies f per step. */
export function classicHistogram(
  input: VectorValue,
  n: number,
  f: (buckets: Bucket[], i: number) => number,
): VectorValue {
  const groups = new Map<string, { labels: Labels; members: { le: number; s: StepSeries }[] }>();
  for (const s of input.series) {
    const leText = s.labels.find((l) => l.name === 'le')?.value;
    if (leText === undefined) continue;
    const le = parseLe(leText);
    if (le === undefined) continue;
    const labels = dropMetricName(s.labels).filter((l) => l.name !== 'le');
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) {
      g = { labels, members: [] };
      groups.set(key, g);
    }
    g.members.push({ le, s });
  }
  const out: StepSeries[] = [];
  for (const g of groups.values()) {
    const r = newStepSeries(g.labels, n);
    for (let i = 0; i < n; i++) {
      const buckets: Bucket[] = [];
      for (const m of g.members) if (m.s.has[i]) buckets.push({ upperBound: m.le, count: m.s.v[i] });
      if (buckets.length === 0) continue;
      r.v[i] = f(buckets, i);
      r.has[i] = 1;
    }
    if (r.has.includes(1)) out.push(r);
  }
  return { kind: 'vector', series: out };
}

function parseLe(text: string): number | undefined {
  const t = text.trim();
  if (/^\+?inf$/i.test(t)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(t)) return Number.NEGATIVE_INFINITY;
  const v = Number(t);
  return t === '' || Number.isNaN(v) ? undefined : v;
}
