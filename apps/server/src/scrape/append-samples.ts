import {
  isValidLabelName,
  isValidMetricName,
  type Label,
  type Labels,
  METRIC_NAME,
  sortLabels,
} from '../model/labels.js';
import type { RelabelRule } from '../model/relabel/relabel.js';
import { relabel } from '../model/relabel/relabel.js';
import { Entry, type ExpositionFormat, ExpositionParser } from '../model/textparse/parser.js';
import type { Appender } from '../storage/interface.js';
import type { CacheEntry, SeriesCache } from './series-cache.js';
import type { TargetMetadata } from './target-metadata.js';

export interface SampleRules {
  /** The target's public labels (no `__` names). */
  readonly targetLabels: Labels;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly metricRelabelConfigs: readonly RelabelRule[];
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
}

/** Rules with no honoring, no metric relabeling and no limits (self-scrape, tests, benchmarks). */
export function plainSampleRules(targetLabels: Labels): SampleRules {
  return {
    targetLabels,
    honorLabels: false,
    honorTimestamps: true,
    metricRelabelConfigs: [],
    sampleLimit: 0,
    labelLimit: 0,
    labelNameLengthLimit: 0,
    labelValueLengthLimit: 0,
  };
}

export interface AppendOutcome {
  /** Samples in the exposition. */
  scraped: number;
  /** Samples left after metric relabeling (what scrape_samples_post_metric_relabeling reports). */
  added: number;
  /** Series this target had not exposed before (scrape_series_added). */
  seriesAdded: number;
  /** Cache entries appended by this scrape: the first `seenCount` of `seen`. */
  seen: CacheEntry[];
  seenCount: number;
  /** Entries created by this scrape (their refs are void if the append is rolled back). */
  created: CacheEntry[];
  /** Set when the scrape must fail (parse error, limit, invalid labels); the caller rolls back. */
  error?: string;
}

/**
 * Sample labels joined with the target's, as Prometheus' mutateSampleLabels does it. The target's
 * Label objects are reused rather than copied: 500,000 cached series share a handful of them.
 */
export function mergeTargetLabels(sample: Label[], target: Labels, honorLabels: boolean): Label[] {
  const merged = mergeDisjoint(sample, target);
  if (merged) return merged;
  const b = new Map<string, Label>();
  for (const l of sample) b.set(l.name, l);
  if (honorLabels) {
    for (const l of target) if (!b.get(l.name)?.value) b.set(l.name, l);
  } else {
    const conflicts: Label[] = [];
    for (const l of target) {
      const exposed = b.get(l.name);
      if (exposed?.value) conflicts.push(exposed);
      b.set(l.name, l);
    }
    // Exposed labels that clash with target labels are kept as exported_<name> (repeated if taken).
    conflicts.sort((x, y) => x.name.length - y.name.length);
    for (const c of conflicts) {
      let name = `exported_${c.name}`;
      while (b.has(name) || target.some((l) => l.name === name)) name = `exported_${name}`;
      b.set(name, { name, value: c.value });
    }
  }
  const out: Label[] = [];
  for (const l of b.values()) if (l.value !== '') out.push(l);
  return sortLabels(out);
}

/**
 * The common case in one pass: both sets sorted, no name in both, no empty value. Returns
 * undefined otherwise (the general path handles clashes and empties).
 */
function mergeDisjoint(sample: Label[], target: Labels): Label[] | undefined {
  const out: Label[] = new Array(sample.length + target.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < sample.length || j < target.length) {
    const a = sample[i];
    const b = target[j];
    if (b === undefined || (a !== undefined && a.name < b.name)) {
      if (a.value === '' || (i > 0 && sample[i - 1].name >= a.name)) return undefined;
      out[k++] = a;
      i++;
    } else if (a === undefined || b.name < a.name) {
      out[k++] = b;
      j++;
    } else return undefined;
  }
  return out;
}

/** Label checks on a new series; a message when the scrape must fail. */
function checkLabels(labels: Labels, rules: SampleRules, checkNames: boolean): string | undefined {
  let name = '';
  for (const l of labels) {
    if (l.name === METRIC_NAME) name = l.value;
    else if (checkNames && !isValidLabelName(l.name)) return `invalid label name "${l.name}"`;
    if (rules.labelNameLengthLimit > 0 && l.name.length > rules.labelNameLengthLimit) {
      return `label_name_length_limit exceeded (metric: ${name.slice(0, 50)}, label name: ${l.name.slice(0, 50)}, length: ${l.name.length}, limit: ${rules.labelNameLengthLimit})`;
    }
    if (rules.labelValueLengthLimit > 0 && l.value.length > rules.labelValueLengthLimit) {
      return `label_value_length_limit exceeded (metric: ${name.slice(0, 50)}, label name: ${l.name.slice(0, 50)}, value: ${l.value.slice(0, 50)}, length: ${l.value.length}, limit: ${rules.labelValueLengthLimit})`;
    }
  }
  if (checkNames ? !isValidMetricName(name) : name === '') return `invalid metric name "${name}"`;
  if (rules.labelLimit > 0 && labels.length > rules.labelLimit) {
    return `label_limit exceeded (metric: ${name.slice(0, 50)}, number of labels: ${labels.length}, limit: ${rules.labelLimit})`;
  }
  return undefined;
}

/**
 * Parses an exposition and appends its samples at `timestamp` (ms) unless they carry their own
 * and honor_timestamps is on. The hot path for a known series is one Map lookup and one append.
 */
export function appendExposition(
  text: string,
  format: ExpositionFormat,
  timestamp: number,
  cache: SeriesCache,
  appender: Appender,
  rules: SampleRules,
  metadata: TargetMetadata | undefined,
): AppendOutcome {
  // The cache's scratch array is reused scrape after scrape (only its first seenCount slots count).
  const outcome: AppendOutcome = {
    scraped: 0,
    added: 0,
    seriesAdded: 0,
    seen: cache.seenScratch,
    seenCount: 0,
    created: [],
  };
  const attempt = cache.beginAttempt();
  const parser = new ExpositionParser(text, format);
  try {
    for (;;) {
      const expected = cache.expectedAt(outcome.scraped);
      parser.hint = expected?.key;
      const kind = parser.next();
      if (kind === Entry.End) break;
      if (kind !== Entry.Series) {
        if (metadata) {
          if (kind === Entry.Help) metadata.setHelp(parser.metricName, parser.metaText);
          else if (kind === Entry.Type) metadata.setType(parser.metricName, parser.metaText);
          else metadata.setUnit(parser.metricName, parser.metaText);
        }
        continue;
      }
      outcome.scraped++;
      let entry = parser.hintMatched ? expected : cache.get(parser.seriesKey);
      if (entry === undefined) {
        const key = parser.seriesKey;
        const exposed = parser.labels();
        for (let k = 0; k < exposed.length; k++) exposed[k] = cache.intern(exposed[k]);
        const merged = mergeTargetLabels(exposed, rules.targetLabels, rules.honorLabels);
        const labels =
          rules.metricRelabelConfigs.length > 0 ? relabel(merged, rules.metricRelabelConfigs) : merged;
        const kept = labels && labels.length > 0 ? labels : undefined;
        if (kept) {
          // The parser has checked the exposed names; only relabeling can make new ones.
          const problem = checkLabels(kept, rules, rules.metricRelabelConfigs.length > 0);
          if (problem) {
            outcome.error = problem;
            return outcome;
          }
        }
        entry = cache.add(key, kept);
        outcome.created.push(entry);
        if (kept) outcome.seriesAdded++;
      }
      cache.recordOrder(entry);
      if (entry.labels === undefined) continue;
      if (entry.seenInAttempt === attempt) continue; // duplicate series in one exposition: first wins
      entry.seenInAttempt = attempt;
      outcome.added++;
      if (rules.sampleLimit > 0 && outcome.added > rules.sampleLimit) {
        outcome.error = `sample limit exceeded (limit: ${rules.sampleLimit})`;
        return outcome;
      }
      const explicit = parser.timestamp !== undefined && rules.honorTimestamps;
      entry.explicitTimestamp = explicit;
      try {
        entry.ref = appender.append(
          entry.ref,
          entry.labels,
          explicit ? (parser.timestamp as number) : timestamp,
          parser.value,
        );
      } catch {
        // Out-of-order or otherwise refused samples cost only themselves, as in Prometheus.
        outcome.added--;
        continue;
      }
      outcome.seen[outcome.seenCount++] = entry;
    }
  } catch (e) {
    outcome.error = (e as Error).message;
  } finally {
    cache.finishOrder();
  }
  return outcome;
}
