import type { ServerResponse } from 'node:http';
import { type Labels, labelsToRecord } from '../../../model/labels.js';
import { formatGoDuration } from '../../../scrape/target-labels.js';
import { HttpError, sendApiData } from '../../http-util.js';

/** What the targets endpoint reads: the scrape manager satisfies it. */
export interface TargetsSource {
  activeTargets(): Array<{
    scrapePool: string;
    labels: Labels;
    discoveredLabels: Labels;
    url: string;
    interval: number;
    timeout: number;
    loop: { state: { health: string; lastError: string; lastScrape: number; lastScrapeDuration: number } };
  }>;
  droppedTargets(): Array<{ scrapePool: string; discoveredLabels: Labels }>;
}

/** Go's zero time, which Prometheus reports for a target never scraped. */
const NEVER = '0001-01-01T00:00:00Z';

/** GET /api/v1/targets in Prometheus' shape; `state` = active | dropped | any, `scrapePool` filters. */
export function serveTargets(res: ServerResponse, params: URLSearchParams, source: TargetsSource): void {
  const state = (params.get('state') ?? 'any').toLowerCase();
  if (!['active', 'dropped', 'any', ''].includes(state))
    throw new HttpError(400, `invalid state "${state}" (want active, dropped or any)`);
  const pool = params.get('scrapePool') ?? '';
  const showActive = state !== 'dropped';
  const showDropped = state !== 'active';
  const activeTargets = showActive
    ? source
        .activeTargets()
        .filter((t) => !pool || t.scrapePool === pool)
        .map((t) => ({
          discoveredLabels: labelsToRecord(t.discoveredLabels),
          labels: labelsToRecord(t.labels),
          scrapePool: t.scrapePool,
          scrapeUrl: t.url,
          globalUrl: t.url,
          lastError: t.loop.state.lastError,
          lastScrape: t.loop.state.lastScrape ? new Date(t.loop.state.lastScrape).toISOString() : NEVER,
          lastScrapeDuration: t.loop.state.lastScrapeDuration,
          health: t.loop.state.health,
          scrapeInterval: formatGoDuration(t.interval),
          scrapeTimeout: formatGoDuration(t.timeout),
        }))
    : [];
  const droppedTargets = showDropped
    ? source
        .droppedTargets()
        .filter((t) => !pool || t.scrapePool === pool)
        .map((t) => ({ discoveredLabels: labelsToRecord(t.discoveredLabels) }))
    : [];
  sendApiData(res, { activeTargets, droppedTargets });
}
