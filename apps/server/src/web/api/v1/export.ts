import type { IncomingMessage, ServerResponse } from 'node:http';
import { labelsKey } from '../../../model/labels.js';
import { isStaleNaN } from '../../../model/stale-nan.js';
import { formatJsonLine } from '../../../remote/vm-json-lines.js';
import { HttpError, readParams } from '../../http-util.js';
import type { IngestDeps } from './ingest-deps.js';
import { MAX_TIME, MIN_TIME, parseMatchParams, parseTimeParam } from './params.js';

/**
 * GET|POST /api/v1/export: VictoriaMetrics' JSON lines for the series of `match[]` (required,
 * repeatable) between `start` and `end` (unix seconds or RFC 3339; default: everything).
 */
export function exportHandler(deps: IngestDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const params = await readParams(req);
    const selectors = parseMatchParams(params);
    if (selectors.length === 0)
      throw new HttpError(400, 'missing match[] parameter, e.g. match[]={__name__=~".+"}');
    const start = parseTimeParam(params, 'start', MIN_TIME);
    const end = parseTimeParam(params, 'end', MAX_TIME);
    if (end < start) throw new HttpError(400, 'invalid parameters: end is before start');
    const querier = deps.queryable.querier(start, end);
    const seen = new Set<string>();
    res.writeHead(200, { 'Content-Type': 'application/stream+json' });
    try {
      for (const matchers of selectors) {
        for (const series of querier.select(matchers)) {
          const key = labelsKey(series.labels);
          if (seen.has(key)) continue;
          seen.add(key);
          const { t, v } = series.samples();
          const keepT: number[] = [];
          const keepV: number[] = [];
          for (let i = 0; i < t.length; i++) {
            // Staleness markers are left out, as VictoriaMetrics does.
            if (isStaleNaN(v[i])) continue;
            keepT.push(t[i]);
            keepV.push(v[i]);
          }
          if (keepT.length === 0) continue;
          if (!res.write(`${formatJsonLine(series.labels, keepT, keepV)}\n`)) {
            await new Promise<void>((resolve) => res.once('drain', resolve));
          }
        }
      }
    } finally {
      querier.close();
    }
    res.end();
  };
}
