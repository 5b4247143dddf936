import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, QueryResult } from '../../../promql/engine.js';
import { QueryError } from '../../../promql/errors.js';
import { prettyExpr } from '../../../promql/format.js';
import { ParseError, parseExpr } from '../../../promql/parser.js';
import { scavengeBeforeQuery } from '../../../runtime/heap.js';
import type { Queryable } from '../../../storage/interface.js';
import { HttpError, readParams, sendApiData, sendText } from '../../http-util.js';
import { astJson } from './ast-json.js';
import { parseDurationParam, parseLimitParam, parseTimeParam, requireDurationParam } from './params.js';
import { queryDataJson } from './result-json.js';

export interface QueryApiDeps {
  queryable: Queryable;
  engine: Engine;
  now: () => number;
}

/** Maps engine errors to Prometheus' HTTP status and errorType. */
export function toHttpError(e: unknown, parsePrefix = 'invalid parameter "query": '): unknown {
  if (e instanceof ParseError) return new HttpError(400, `${parsePrefix}${e.message}`, 'bad_data');
  if (e instanceof QueryError) {
    const status = e.errorType === 'timeout' ? 503 : e.errorType === 'bad_data' ? 400 : 422;
    return new HttpError(status, e.message, e.errorType);
  }
  return e;
}

/**
 * Parses the `query` parameter. Prometheus prefixes the parse error with the parameter name on
 * /api/v1/query but not on /api/v1/query_range; both are kept as they are.
 */
function parseQueryParam(params: URLSearchParams, parsePrefix?: string) {
  try {
    return parseExpr(params.get('query') ?? '');
  } catch (e) {
    throw toHttpError(e, parsePrefix);
  }
}

/** Sends a query result, cut to `limit` series (0: no limit) with Prometheus' warning when cut. */
function sendResult(res: ServerResponse, result: QueryResult, limit: number): void {
  let warnings = '';
  if (
    limit > 0 &&
    (result.resultType === 'vector' || result.resultType === 'matrix') &&
    result.series.length > limit
  ) {
    result = { ...result, series: result.series.slice(0, limit) } as QueryResult;
    warnings = ',"warnings":["results truncated due to limit"]';
  }
  sendText(res, 200, `{"status":"success","data":${queryDataJson(result)}${warnings}}`, 'application/json');
}

export async function handleQuery(
  req: IncomingMessage,
  res: ServerResponse,
  deps: QueryApiDeps,
): Promise<void> {
  const params = await readParams(req);
  const time = parseTimeParam(params, 'time', deps.now());
  const timeout = parseDurationParam(params, 'timeout');
  const lookbackDelta = parseDurationParam(params, 'lookback_delta');
  const limit = parseLimitParam(params);
  const expr = parseQueryParam(params);
  scavengeBeforeQuery();
  try {
    sendResult(res, deps.engine.instantQuery(deps.queryable, expr, time, { timeout, lookbackDelta }), limit);
  } catch (e) {
    throw toHttpError(e);
  }
}

export async function handleQueryRange(
  req: IncomingMessage,
  res: ServerResponse,
  deps: QueryApiDeps,
): Promise<void> {
  const params = await readParams(req);
  const start = parseTimeParam(params, 'start');
  const end = parseTimeParam(params, 'end');
  const step = requireDurationParam(params, 'step');
  const timeout = parseDurationParam(params, 'timeout');
  const lookbackDelta = parseDurationParam(params, 'lookback_delta');
  const limit = parseLimitParam(params);
  const expr = parseQueryParam(params, '');
  scavengeBeforeQuery();
  try {
    sendResult(
      res,
      deps.engine.rangeQuery(deps.queryable, expr, start, end, step, { timeout, lookbackDelta }),
      limit,
    );
  } catch (e) {
    throw toHttpError(e);
  }
}

export async function handleFormatQuery(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = await readParams(req);
  sendApiData(res, prettyExpr(parseQueryParam(params)));
}

export async function handleParseQuery(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = await readParams(req);
  sendApiData(res, astJson(parseQueryParam(params)));
}
