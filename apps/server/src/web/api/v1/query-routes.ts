import type { Engine } from '../../../promql/engine.js';
import type { Queryable } from '../../../storage/interface.js';
import { readParams, sendApiData } from '../../http-util.js';
import type { Router } from '../../router.js';
import { parseTimeParam } from './params.js';
import { handleFormatQuery, handleParseQuery, handleQuery, handleQueryRange } from './query-handlers.js';
import { handleLabelNames, handleLabelValues, handleSeries } from './series-handlers.js';

export interface QueryRoutesDeps {
  queryable: Queryable;
  engine: Engine;
  now: () => number;
}

/** The read side of Prometheus' HTTP API: queries, series and labels, and the empty rules/alerts/exemplars. */
export function registerQueryRoutes(router: Router, deps: QueryRoutesDeps): void {
  router.getOrPost('/api/v1/query', (req, res) => handleQuery(req, res, deps));
  router.getOrPost('/api/v1/query_range', (req, res) => handleQueryRange(req, res, deps));
  router.getOrPost('/api/v1/format_query', (req, res) => handleFormatQuery(req, res));
  router.getOrPost('/api/v1/parse_query', (req, res) => handleParseQuery(req, res));
  router.getOrPost('/api/v1/series', (req, res) => handleSeries(req, res, deps.queryable));
  router.getOrPost('/api/v1/labels', (req, res) => handleLabelNames(req, res, deps.queryable));
  router.get('/api/v1/label/:name/values', (req, res, p) =>
    handleLabelValues(req, res, deps.queryable, p.name),
  );
  // No recording or alerting rules and no exemplar storage: empty answers keep Grafana working.
  router.get('/api/v1/rules', (_req, res) => sendApiData(res, { groups: [] }));
  router.get('/api/v1/alerts', (_req, res) => sendApiData(res, { alerts: [] }));
  router.getOrPost('/api/v1/query_exemplars', async (req, res) => {
    const params = await readParams(req);
    parseTimeParam(params, 'start', 0);
    parseTimeParam(params, 'end', 0);
    sendApiData(res, []);
  });
}
