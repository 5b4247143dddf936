import type { ServerResponse } from 'node:http';
import { HttpError, sendApiData } from '../../http-util.js';

export interface MetadataSource {
  metadata(): Map<string, Array<{ type: string; help: string; unit: string }>>;
}

function parseLimit(text: string | null, name: string): number {
  if (text === null || text === '') return -1;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new HttpError(400, `${name} must be a number`);
  return n;
}

/** GET /api/v1/metadata: `metric` filters, `limit` caps metrics, `limit_per_metric` caps entries. */
export function serveMetadata(res: ServerResponse, params: URLSearchParams, source: MetadataSource): void {
  const limit = parseLimit(params.get('limit'), 'limit');
  const perMetric = parseLimit(params.get('limit_per_metric'), 'limit_per_metric');
  const metric = params.get('metric') ?? '';
  const data: Record<string, Array<{ type: string; help: string; unit: string }>> = {};
  let count = 0;
  for (const [name, entries] of [...source.metadata()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (metric && name !== metric) continue;
    if (limit >= 0 && count >= limit) break;
    data[name] = perMetric > 0 ? entries.slice(0, perMetric) : entries;
    count++;
  }
  sendApiData(res, data);
}
