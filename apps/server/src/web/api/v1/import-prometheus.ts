import type { IncomingMessage, ServerResponse } from 'node:http';
import { Entry, ExpositionParser } from '../../../model/textparse/parser.js';
import { appendSeries } from '../../../storage/bulk-append.js';
import { HttpError, readBody } from '../../http-util.js';
import type { IngestDeps } from './ingest-deps.js';
import { ingestError } from './ingest-errors.js';
import { parseTime } from './params.js';

/**
 * POST /api/v1/import/prometheus: the Prometheus text exposition format, as VictoriaMetrics
 * accepts it. Samples without a timestamp get the `timestamp` parameter (unix seconds or
 * RFC 3339), or now. One bad line rejects the request and stores nothing.
 */
export function importPrometheusHandler(deps: IngestDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const app = deps.appendable.appender();
    let samples = 0;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const param = url.searchParams.get('timestamp');
      const defaultTime = param ? parseTime(param) : deps.clock.now();
      if (defaultTime === undefined) {
        throw new HttpError(
          400,
          `invalid parameter "timestamp": cannot parse "${param}" (use unix seconds or RFC 3339)`,
        );
      }
      const text = (await readBody(req, deps.maxRequestBytes)).toString('utf8');
      const parser = new ExpositionParser(text, 'text');
      const t = new Float64Array(1);
      const v = new Float64Array(1);
      for (let entry = parser.next(); entry !== Entry.End; entry = parser.next()) {
        if (entry !== Entry.Series) continue;
        t[0] = parser.timestamp ?? defaultTime;
        v[0] = parser.value;
        appendSeries(app, parser.seriesKey, () => parser.labels().filter((l) => l.value !== ''), t, v, 0, 1);
        samples++;
      }
      await app.commit();
    } catch (e) {
      app.rollback();
      throw ingestError(e, deps.metrics, 'exposition text');
    }
    deps.metrics.samples.inc({ endpoint: 'import_prometheus' }, samples);
    res.writeHead(204);
    res.end();
  };
}
