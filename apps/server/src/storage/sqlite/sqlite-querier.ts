import { compareLabelSets, type Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matchers.js';
import { decodeChunk } from '../chunkenc/chunk.js';
import type { Querier, SampleArrays, SelectHints, Series } from '../interface.js';
import type { SegmentRow } from './chunk-store.js';
import type { SeriesState, SqliteStorage } from './sqlite-storage.js';

/**
 * From this many selected series on, and when they are at least a quarter of all series (the scan
 * reads every series' rows in the range), one range scan beats a statement per series.
 */
const BATCH_READ_MIN_SERIES = 256;
const BATCH_READ_MIN_SHARE = 0.25;

const EMPTY: SampleArrays = { t: new Float64Array(0), v: new Float64Array(0) };

/** Reads a time range: series from the label index, samples from disk chunks plus the head. */
export class SqliteQuerier implements Querier {
  constructor(
    private readonly storage: SqliteStorage,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  select(matchers: readonly Matcher[], hints?: SelectHints): Series[] {
    const out: Series[] = [];
    const matched = this.matching(matchers);
    // Many series: read their segment rows with one range scan rather than one statement each.
    const batch =
      !hints?.labelsOnly &&
      matched.length >= BATCH_READ_MIN_SERIES &&
      matched.length >= BATCH_READ_MIN_SHARE * this.storage.index.size;
    const rows = batch ? this.storage.chunks.readAll(this.mint, this.maxt) : undefined;
    for (const s of matched) {
      if (hints?.labelsOnly) {
        out.push({ labels: s.labels, samples: () => this.samples(s) });
        continue;
      }
      const samples = this.samples(s, rows ? (rows.get(s.id) ?? []) : undefined);
      if (samples.t.length === 0) continue;
      out.push({ labels: s.labels, samples: () => samples });
    }
    return out.sort((a, b) => compareLabelSets(a.labels, b.labels));
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    const names = new Set<string>();
    for (const s of this.matching(matchers)) for (const l of s.labels) names.add(l.name);
    return [...names].sort();
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    const values = new Set<string>();
    for (const s of this.matching(matchers)) {
      const v = labelValue(s.labels, name);
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  close(): void {}

  /** Series matching the matchers whose time bounds overlap the querier's range. */
  private matching(matchers: readonly Matcher[]): SeriesState[] {
    const out: SeriesState[] = [];
    for (const id of this.storage.index.select(matchers)) {
      const s = this.storage.series[id];
      if (s && s.mint <= this.maxt && s.maxt >= this.mint) out.push(s);
    }
    return out;
  }

  private samples(s: SeriesState, prefetched?: SegmentRow[]): SampleArrays {
    const { mint, maxt } = this;
    const parts: SampleArrays[] = [];
    // Sealed chunks end at or before sealedMaxT: a range after it is all in the head.
    const rows = mint > s.sealedMaxT ? [] : (prefetched ?? this.storage.chunks.read(s.id, mint, maxt));
    for (const row of rows) {
      for (const c of this.storage.chunks.decodeRow(row, mint, maxt)) parts.push(clip(c.t, c.v, mint, maxt));
    }
    for (const chunk of s.pending) {
      if (chunk.maxt < mint || chunk.mint > maxt) continue;
      const c = decodeChunk(chunk.data, chunk.mint);
      parts.push(clip(c.t, c.v, mint, maxt));
    }
    parts.push(s.head.range(mint, maxt));
    let total = 0;
    for (const p of parts) total += p.t.length;
    if (total === 0) return EMPTY;
    if (parts.length === 1) return parts[0];
    const t = new Float64Array(total);
    const v = new Float64Array(total);
    let at = 0;
    for (const p of parts) {
      t.set(p.t, at);
      v.set(p.v, at);
      at += p.t.length;
    }
    return { t, v };
  }
}

function clip(t: Float64Array, v: Float64Array, mint: number, maxt: number): SampleArrays {
  let a = 0;
  while (a < t.length && t[a] < mint) a++;
  let b = t.length;
  while (b > a && t[b - 1] > maxt) b--;
  if (a === 0 && b === t.length) return { t, v };
  // A small window of a large decoded chunk is copied, so the chunk does not stay alive (a
  // five-minute lookback over thousands of series would otherwise hold every whole chunk).
  if ((b - a) * 4 < t.length) return { t: t.slice(a, b), v: v.slice(a, b) };
  return { t: t.subarray(a, b), v: v.subarray(a, b) };
}

function labelValue(labels: Labels, name: string): string | undefined {
  for (const l of labels) if (l.name === name) return l.value;
  return undefined;
}
