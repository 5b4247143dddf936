import type { Labels } from '../../../model/labels.js';
import type { QueryResult } from '../../../promql/engine.js';
import { formatSampleValue } from '../../../promql/float-format.js';

/**
 * Writes query results in Prometheus' JSON exactly: timestamps as seconds with millisecond
 * fraction, values as strings the way Prometheus formats them. Built as text because a result can hold
 * millions of points and an intermediate object per point would dominate the cost.
 */
export function formatTimestamp(ms: number): string {
  const negative = ms < 0;
  const abs = Math.abs(ms);
  const seconds = Math.floor(abs / 1000);
  const fraction = abs - seconds * 1000;
  let out = negative ? `-${seconds}` : `${seconds}`;
  if (fraction !== 0) out += `.${String(Math.round(fraction)).padStart(3, '0')}`;
  return out;
}

export function labelsJson(labels: Labels): string {
  let out = '{';
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) out += ',';
    out += `${JSON.stringify(labels[i].name)}:${JSON.stringify(labels[i].value)}`;
  }
  return `${out}}`;
}

function point(t: number, v: number): string {
  return `[${formatTimestamp(t)},"${formatSampleValue(v)}"]`;
}

/** The `data` member of a query or query_range response. */
export function queryDataJson(r: QueryResult): string {
  switch (r.resultType) {
    case 'scalar':
      return `{"resultType":"scalar","result":${point(r.t, r.v)}}`;
    case 'string':
      return `{"resultType":"string","result":[${formatTimestamp(r.t)},${JSON.stringify(r.s)}]}`;
    case 'vector': {
      const parts = r.series.map((s) => `{"metric":${labelsJson(s.labels)},"value":${point(r.t, s.v)}}`);
      return `{"resultType":"vector","result":[${parts.join(',')}]}`;
    }
    case 'matrix': {
      const parts: string[] = [];
      for (const s of r.series) {
        const points = new Array<string>(s.t.length);
        for (let i = 0; i < s.t.length; i++) points[i] = point(s.t[i], s.v[i]);
        parts.push(`{"metric":${labelsJson(s.labels)},"values":[${points.join(',')}]}`);
      }
      return `{"resultType":"matrix","result":[${parts.join(',')}]}`;
    }
  }
}
