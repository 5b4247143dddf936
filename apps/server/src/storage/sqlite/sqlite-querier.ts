import { compareLabelSets, type Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matchers.js';
import { decodeChunkInto } from '../chunkenc/chunk.js';
import { decodeSegmentInto } from '../chunkenc/segment.js';
import type { Querier, SelectHints, Series } from '../interface.js';
import { type CollectedSeries, SampleCollector } from './sample-collector.js';
import type { SeriesState, SqliteStorage } from './sqlite-storage.js';

/**
 * Selected series are read with one scan per run of at least SCAN_MIN_SERIES series whose ids
 * span less than SCAN_SPREAD ids per series and at most SCAN_IDS ids: a statement costs about as
 * much as reading a dozen rows in a scan, and the span bounds the scan's blob (SQLite allows
 * 1 GB) and its memory. Other series are read with a statement each.
 *
 * Why 256 and not more: SQLite builds the blob in a buffer it doubles as it grows, which is then
 * copied twice (CAST, then into a Node.js Buffer). With 4,096 ids an instant query over 16,000
 * series made blobs of 2.6 MB and raised the server's peak RSS by 40-50 MiB (memory the
 * allocator keeps); with 256 ids (160 KB) by 15-25 MiB, and the query takes as long.
 */
const SCAN_MIN_SERIES = 8;
const SCAN_SPREAD = 4;
const SCAN_IDS = 256;
/** From this many selected series (and an eighth of all), order them by the index's label order. */
const ORDER_BY_RANK_MIN = 256;

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
    if (hints?.labelsOnly) {
      for (const s of matched)
        out.push({ labels: s.labels, samples: () => this.samples(s, new SampleCollector()) });
      return out.sort((a, b) => compareLabelSets(a.labels, b.labels));
    }
    const into = new SampleCollector(hints?.latestOnly);
    const ids: number[] = [];
    const { mint, maxt } = this;
    let m = 0;
    while (m < matched.length) {
      // A run of selected series close enough in ids (series of one metric and target are
      // created together) that one scan of their id range reads few rows of other series.
      const lo = matched[m].id;
      let e = m + 1;
      while (
        e < matched.length &&
        matched[e].id - lo < SCAN_IDS &&
        matched[e].id - lo < SCAN_SPREAD * (e - m + 1)
      )
        e++;
      if (e - m < SCAN_MIN_SERIES) {
        for (; m < e; m++) {
          const series = this.samples(matched[m], into);
          if (series.t.length === 0) continue;
          out.push(series);
          ids.push(matched[m].id);
        }
        continue;
      }
      // The scan is ordered by series id, as the selected series are: walk both together.
      const scan = this.storage.chunks.readScan(mint, maxt, lo, matched[e - 1].id);
      let r = 0;
      for (; m < e; m++) {
        const s = matched[m];
        while (r < scan.count && scan.ids[r] < s.id) r++;
        for (; r < scan.count && scan.ids[r] === s.id; r++) {
          decodeSegmentInto(scan.data, scan.mints[r], mint, maxt, into, scan.starts[r], scan.ends[r]);
        }
        const series = this.withHead(s, into);
        if (series.t.length === 0) continue;
        out.push(series);
        ids.push(s.id);
      }
    }
    return this.inLabelOrder(out, ids);
  }

  /** The selected series (ids[i] is out[i]'s) sorted by labels. */
  private inLabelOrder(out: Series[], ids: number[]): Series[] {
    const index = this.storage.index;
    if (out.length < ORDER_BY_RANK_MIN || out.length * 8 < index.size) {
      return out.sort((a, b) => compareLabelSets(a.labels, b.labels));
    }
    // Many series: put each at its position in the index's label order instead of sorting.
    const ranks = index.labelOrder();
    const slots = new Array<Series | undefined>(index.size);
    for (let i = 0; i < out.length; i++) slots[ranks[ids[i]]] = out[i];
    let k = 0;
    for (let r = 0; r < slots.length; r++) {
      const s = slots[r];
      if (s !== undefined) out[k++] = s;
    }
    return out;
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
    const ids = this.storage.index.select(matchers);
    // Indexed loops here and in select(): they run once per query over thousands of series,
    // often before the optimizing compiler has seen them, where for-of allocates per step.
    for (let i = 0; i < ids.length; i++) {
      const s = this.storage.series[ids[i]];
      if (s && s.mint <= this.maxt && s.maxt >= this.mint) out.push(s);
    }
    return out;
  }

  private samples(s: SeriesState, into: SampleCollector): CollectedSeries {
    const { mint, maxt } = this;
    // Sealed chunks end at or before sealedMaxT: a range after it is all in the head.
    if (mint <= s.sealedMaxT) {
      for (const row of this.storage.chunks.read(s.id, mint, maxt))
        decodeSegmentInto(row.data, row.mint, mint, maxt, into);
    }
    return this.withHead(s, into);
  }

  /** Adds the samples of the series' in-memory chunks to what `into` holds of it, and takes them. */
  private withHead(s: SeriesState, into: SampleCollector): CollectedSeries {
    const { mint, maxt } = this;
    for (let i = 0; i < s.pending.length; i++) {
      const chunk = s.pending[i];
      if (chunk.maxt >= mint && chunk.mint <= maxt) decodeChunkInto(chunk.data, chunk.mint, mint, maxt, into);
    }
    const h = s.head;
    if (h.n > 0 && h.maxt >= mint && h.mint <= maxt) {
      let a = 0;
      while (a < h.n && h.time(a) < mint) a++;
      let b = a;
      while (b < h.n && h.time(b) <= maxt) b++;
      if (b > a) {
        const { t, v } = h.samples(a, b);
        into.add(t, v, 0, b - a);
      }
    }
    return into.take(s.labels);
  }
}

function labelValue(labels: Labels, name: string): string | undefined {
  for (const l of labels) if (l.name === name) return l.value;
  return undefined;
}
