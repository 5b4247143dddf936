import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../../../promql/engine.js';
import { QueryError } from '../../../promql/errors.js';
import { prettyExpr } from '../../../promql/format.js';
import { ParseError, parseExpr } from '../../../promql/parser.js';
import type { Queryable } from '../../../storage/interface.js';
import { HttpError, readParams, sendApiData, sendText } from '../../http-util.js';
import { astJson } from './ast-json.js';
import { parseDurationParam, parseTimeParam, requireDurationParam } from './params.js';
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

function sendData(res: ServerResponse, dataJson: string): void {
  sendText(res, 200, `{"status":"success","data":${dataJson}}`, 'application/json');
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
  const expr = parseQueryParam(params);
  try {
    sendData(
      res,
      queryDataJson(deps.engine.instantQuery(deps.queryable, expr, time, { timeout, lookbackDelta })),
    );
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
  const expr = parseQueryParam(params, '');
  try {
    sendData(
      res,
      queryDataJson(
        deps.engine.rangeQuery(deps.queryable, expr, start, end, step, { timeout, lookbackDelta }),
      ),
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
