import { parseDuration } from '@motley/exporter-kit';
import type { ScrapeConfig, TargetGroup } from '../config/types.js';
import { getLabel, type Label, type Labels, labelsFromRecord, sortLabels } from '../model/labels.js';
import { relabel } from '../model/relabel/relabel.js';

export const ADDRESS_LABEL = '__address__';
export const SCHEME_LABEL = '__scheme__';
export const METRICS_PATH_LABEL = '__metrics_path__';
export const SCRAPE_INTERVAL_LABEL = '__scrape_interval__';
export const SCRAPE_TIMEOUT_LABEL = '__scrape_timeout__';
export const PARAM_PREFIX = '__param_';

/** Outcome of the target label pipeline for one discovered target. */
export type TargetLabelsResult =
  | { kind: 'active'; labels: Labels; discoveredLabels: Labels }
  | { kind: 'dropped'; discoveredLabels: Labels }
  | { kind: 'error'; discoveredLabels: Labels; error: string };

/** Go's time.Duration.String() for whole milliseconds, as Prometheus writes __scrape_interval__. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  let out = '';
  if (h) out += `${h}h`;
  if (h || m) out += `${m}m`;
  return `${out}${s}s`;
}

/** Discovered labels of each target in a group: the group's labels never override `__address__`. */
export function discoveredLabels(group: TargetGroup): Labels[] {
  return group.targets.map((address) => {
    const record: Record<string, string> = { ...group.labels, [ADDRESS_LABEL]: address };
    return labelsFromRecord(record);
  });
}

/**
 * Prometheus' populateLabels: defaults for job, interval, timeout, metrics path and scheme where
 * unset, `__param_*` from params, relabel_configs, then `instance` defaulting to the address and
 * `__meta_*` removed. The remaining `__` labels configure the scrape; the caller hides them.
 */
export function populateTargetLabels(discovered: Labels, config: ScrapeConfig): TargetLabelsResult {
  const b = new Map<string, string>();
  for (const l of discovered) b.set(l.name, l.value);
  const defaults: Array<[string, string]> = [
    ['job', config.jobName],
    [SCRAPE_INTERVAL_LABEL, formatGoDuration(config.scrapeInterval)],
    [SCRAPE_TIMEOUT_LABEL, formatGoDuration(config.scrapeTimeout)],
    [METRICS_PATH_LABEL, config.metricsPath],
    [SCHEME_LABEL, config.scheme],
  ];
  for (const [name, value] of defaults) if (!b.get(name)) b.set(name, value);
  for (const [name, values] of Object.entries(config.params))
    if (values.length > 0) b.set(PARAM_PREFIX + name, values[0]);
  const pre = toLabels(b);
  const relabelled = relabel(pre, config.relabelConfigs);
  if (!relabelled) return { kind: 'dropped', discoveredLabels: pre };
  const out = new Map<string, string>();
  for (const l of relabelled) if (!l.name.startsWith('__meta_')) out.set(l.name, l.value);
  let address = out.get(ADDRESS_LABEL);
  if (!address) return { kind: 'error', discoveredLabels: pre, error: 'no address' };
  // Prometheus 2.42 (without --enable-feature=no-default-scrape-port) completes a missing port.
  if (needsDefaultPort(address)) {
    const scheme = out.get(SCHEME_LABEL) ?? '';
    if (scheme !== 'http' && scheme !== 'https' && scheme !== '')
      return { kind: 'error', discoveredLabels: pre, error: `invalid scheme: "${scheme}"` };
    address = `${address}:${scheme === 'https' ? 443 : 80}`;
    out.set(ADDRESS_LABEL, address);
  }
  if (address.includes('/'))
    return { kind: 'error', discoveredLabels: pre, error: `"${address}" is not a valid hostname` };
  if (!out.get('instance')) out.set('instance', address);
  return { kind: 'active', labels: toLabels(out), discoveredLabels: pre };
}

/** True for `host` and `[v6]` (no port, and adding one makes a valid host:port), as Go's SplitHostPort decides. */
export function needsDefaultPort(address: string): boolean {
  if (address.startsWith('[')) return address.endsWith(']') && address.indexOf(']') === address.length - 1;
  return !address.includes(':');
}

function toLabels(b: Map<string, string>): Label[] {
  const out: Label[] = [];
  for (const [name, value] of b) if (value !== '') out.push({ name, value });
  return sortLabels(out);
}

/** Labels a target's samples carry: every label not starting with `__`. */
export function publicLabels(labels: Labels): Labels {
  return labels.filter((l) => !l.name.startsWith('__'));
}

/** The scrape URL: scheme, address, metrics path, params with `__param_*` overriding the first value. */
export function scrapeUrl(labels: Labels, config: ScrapeConfig): string {
  const params = new Map<string, string[]>();
  for (const [k, v] of Object.entries(config.params)) params.set(k, [...v]);
  for (const l of labels) {
    if (!l.name.startsWith(PARAM_PREFIX)) continue;
    const name = l.name.slice(PARAM_PREFIX.length);
    const existing = params.get(name);
    if (existing && existing.length > 0) existing[0] = l.value;
    else params.set(name, [l.value]);
  }
  const search = new URLSearchParams();
  for (const [k, vs] of params) for (const v of vs) search.append(k, v);
  const query = search.toString();
  const scheme = getLabel(labels, SCHEME_LABEL) || config.scheme;
  const path = getLabel(labels, METRICS_PATH_LABEL) || config.metricsPath;
  return `${scheme}://${getLabel(labels, ADDRESS_LABEL)}${path}${query ? `?${query}` : ''}`;
}

/** Interval and timeout after relabeling (`__scrape_interval__`, `__scrape_timeout__`), validated. */
export function targetTiming(
  labels: Labels,
  config: ScrapeConfig,
): { interval: number; timeout: number } | string {
  let interval = config.scrapeInterval;
  let timeout = config.scrapeTimeout;
  try {
    const i = getLabel(labels, SCRAPE_INTERVAL_LABEL);
    if (i) interval = parseDuration(i);
    const t = getLabel(labels, SCRAPE_TIMEOUT_LABEL);
    if (t) timeout = parseDuration(t);
  } catch (e) {
    return `invalid scrape interval or timeout label: ${(e as Error).message}`;
  }
  if (interval === 0) return 'scrape interval cannot be 0';
  if (timeout === 0) return 'scrape timeout cannot be 0';
  if (timeout > interval)
    return `scrape timeout cannot be greater than scrape interval (${formatGoDuration(timeout)} > ${formatGoDuration(interval)})`;
  return { interval, timeout };
}
