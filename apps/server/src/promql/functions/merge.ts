import { labelsKey } from '../../model/labels.js';
import { QueryError } from '../errors.js';
import { newStepSeries, type StepSeries, type VectorValue } from '../value.js';

/**
 * Series that ended up with the same labels are merged; two of them present at the same step is
 * Prometheus' "vector cannot contain metrics with the same labelset".
 */
export function merged(series: StepSeries[], n: number): VectorValue {
  const byKey = new Map<string, StepSeries>();
  let collisions = false;
  for (const s of series) {
    const key = labelsKey(s.labels);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, s);
      continue;
    }
    collisions = true;
    const combined = newStepSeries(prev.labels, n);
    for (let i = 0; i < n; i++) {
      if (prev.has[i] && s.has[i])
        throw new QueryError('vector cannot contain metrics with the same labelset');
      if (prev.has[i]) {
        combined.v[i] = prev.v[i];
        combined.has[i] = 1;
      } else if (s.has[i]) {
        combined.v[i] = s.v[i];
        combined.has[i] = 1;
      }
    }
    byKey.set(key, combined);
  }
  const list = collisions ? [...byKey.values()] : series;
  return { kind: 'vector', series: list.filter((s) => s.has.includes(1)) };
}
