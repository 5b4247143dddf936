import type { IncomingMessage, ServerResponse } from 'node:http';
import { labelsKey } from '../../../model/labels.js';
import { parseJsonLine } from '../../../remote/vm-json-lines.js';
import { appendSeries } from '../../../storage/bulk-append.js';
import { readBody } from '../../http-util.js';
import type { IngestDeps } from './ingest-deps.js';
import { ingestError } from './ingest-errors.js';

/**
 * POST /api/v1/import: VictoriaMetrics' JSON lines (what /api/v1/export writes), gzip allowed.
 * The whole body is one commit: one bad line rejects the request and stores nothing.
 */
export function importHandler(deps: IngestDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const app = deps.appendable.appender();
    let samples = 0;
    try {
      const text = (await readBody(req, deps.maxRequestBytes)).toString('utf8');
      let lineNo = 0;
      for (const line of text.split('\n')) {
        lineNo++;
        if (line.trim() === '') continue;
        const s = parseJsonLine(line, lineNo);
        appendSeries(app, labelsKey(s.labels), () => s.labels, s.t, s.v, 0, s.t.length);
        samples += s.t.length;
      }
      await app.commit();
    } catch (e) {
      app.rollback();
      throw ingestError(e, deps.metrics, 'import');
    }
    deps.metrics.samples.inc({ endpoint: 'import' }, samples);
    res.writeHead(204);
    res.end();
  };
}
