import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  compareLabelSets,
  isValidLabelName,
  type Labels,
  labelsKey,
  labelsToRecord,
} from '../../../model/labels.js';
import type { Matcher } from '../../../model/matchers.js';
import type { Queryable } from '../../../storage/interface.js';
import { HttpError, readParams, sendApiData } from '../../http-util.js';
import { MAX_TIME, MIN_TIME, parseLimitParam, parseMatchParams, parseTimeParam } from './params.js';

/** Reads start/end (defaulting to all time) and refuses an inverted range. */
async function rangeParams(req: IncomingMessage) {
  const params = await readParams(req);
  const start = parseTimeParam(params, 'start', MIN_TIME);
  const end = parseTimeParam(params, 'end', MAX_TIME);
  if (end < start) throw new HttpError(400, 'end timestamp must not be before start time', 'bad_data');
  return { params, start, end, matchers: parseMatchParams(params), limit: parseLimitParam(params) };
}

function truncated<T>(items: T[], limit: number): { items: T[]; warnings?: string[] } {
  if (limit > 0 && items.length > limit)
    return { items: items.slice(0, limit), warnings: ['results truncated due to limit'] };
  return { items };
}

/** Union of string results over several match[] selectors (or one call without matchers). */
function unionSorted(matchers: Matcher[][], one: (m: Matcher[] | undefined) => string[]): string[] {
  if (matchers.length === 0) return one(undefined);
  const all = new Set<string>();
  for (const m of matchers) for (const v of one(m)) all.add(v);
  return [...all].sort();
}

export async function handleSeries(
  req: IncomingMessage,
  res: ServerResponse,
  queryable: Queryable,
): Promise<void> {
  const { start, end, matchers, limit } = await rangeParams(req);
  if (matchers.length === 0) throw new HttpError(400, 'no match[] parameter provided', 'bad_data');
  const querier = queryable.querier(start, end);
  try {
    const found = new Map<string, Labels>();
    for (const m of matchers) {
      for (const s of querier.select(m, { labelsOnly: true })) found.set(labelsKey(s.labels), s.labels);
    }
    const sorted = [...found.values()].sort(compareLabelSets);
    const { items, warnings } = truncated(sorted, limit);
    sendApiData(res, items.map(labelsToRecord), warnings);
  } finally {
    querier.close();
  }
}

export async function handleLabelNames(
  req: IncomingMessage,
  res: ServerResponse,
  queryable: Queryable,
): Promise<void> {
  const { start, end, matchers, limit } = await rangeParams(req);
  const querier = queryable.querier(start, end);
  try {
    const { items, warnings } = truncated(
      unionSorted(matchers, (m) => querier.labelNames(m)),
      limit,
    );
    sendApiData(res, items, warnings);
  } finally {
    querier.close();
  }
}

export async function handleLabelValues(
  req: IncomingMessage,
  res: ServerResponse,
  queryable: Queryable,
  name: string,
): Promise<void> {
  const label = name.startsWith('U__') ? decodeUtf8LabelName(name) : name;
  if (!isValidLabelName(label) && label !== '__name__') {
    throw new HttpError(400, `invalid label name: "${name}"`, 'bad_data');
  }
  const { start, end, matchers, limit } = await rangeParams(req);
  const querier = queryable.querier(start, end);
  try {
    const { items, warnings } = truncated(
      unionSorted(matchers, (m) => querier.labelValues(label, m)),
      limit,
    );
    sendApiData(res, items, warnings);
  } finally {
    querier.close();
  }
}

/** Prometheus 3's escaping for label names in the URL path: U__ then _XX_ hex code points. */
function decodeUtf8LabelName(name: string): string {
  return name
    .slice(3)
    .replace(/_([0-9a-fA-F]+)_/g, (_m, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));
}
