import type { Labels } from '../model/labels.js';
import type { Appender, SeriesRef } from './interface.js';

/**
 * Appends t/v[from..to) of one series, through the appender's bulk path when it has one and
 * sample by sample otherwise. `key` must identify the label set (equal keys, equal labels).
 */
export function appendSeries(
  app: Appender,
  key: string,
  labels: () => Labels,
  t: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
): SeriesRef {
  if (app.seriesRef && app.appendSamples) {
    const ref = app.seriesRef(key, labels);
    app.appendSamples(ref, t, v, from, to);
    return ref;
  }
  const ls = labels();
  let ref: SeriesRef = 0;
  for (let i = from; i < to; i++) ref = app.append(ref, ls, t[i], v[i]);
  return ref;
}
