import { compareLabelSets, type Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matchers.js';
import { type DecodedChunk, decodeChunkWindow } from '../chunkenc/chunk.js';
import { decodeSegmentWindow } from '../chunkenc/segment.js';
import type { Querier, SampleArrays, SelectHints, Series } from '../interface.js';
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
    if (hints?.labelsOnly) {
      for (const s of matched) out.push({ labels: s.labels, samples: () => this.samples(s) });
      return out.sort((a, b) => compareLabelSets(a.labels, b.labels));
    }
    // Many series: read their segment rows with one range scan rather than one statement each.
    const batch =
      matched.length >= BATCH_READ_MIN_SERIES && matched.length >= BATCH_READ_MIN_SHARE * this.storage.index.size;
    if (!batch) {
      for (const s of matched) {
        const samples = this.samples(s);
        if (samples.t.length > 0) out.push({ labels: s.labels, samples: () => samples });
      }
      return out.sort((a, b) => compareLabelSets(a.labels, b.labels));
    }
    // Rows come ordered by series id, as the matched series do: walk both together.
    const rows = this.storage.chunks.readAll(this.mint, this.maxt, matched[0].id, matched[matched.length - 1].id);
    let r = 0;
    for (const s of matched) {
      while (r < rows.length && rows[r][0] < s.id) r++;
      const parts: DecodedChunk[] = [];
      for (; r < rows.length && rows[r][0] === s.id; r++) {
        decodeSegmentWindow(rows[r][2], rows[r][1], this.mint, this.maxt, parts);
      }
      const samples = this.withHead(s, parts);
      if (samples.t.length > 0) out.push({ labels: s.labels, samples: () => samples });
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

  private samples(s: SeriesState): SampleArrays {
    const { mint, maxt } = this;
    const parts: DecodedChunk[] = [];
    // Sealed chunks end at or before sealedMaxT: a range after it is all in the head.
    if (mint <= s.sealedMaxT) {
      for (const row of this.storage.chunks.read(s.id, mint, maxt)) {
        decodeSegmentWindow(row.data, row.mint, mint, maxt, parts);
      }
    }
    return this.withHead(s, parts);
  }

  /** The samples in `parts` (oldest first) followed by those of the series' in-memory chunks. */
  private withHead(s: SeriesState, parts: DecodedChunk[]): SampleArrays {
    const { mint, maxt } = this;
    for (const chunk of s.pending) {
      if (chunk.maxt < mint || chunk.mint > maxt) continue;
      const c = decodeChunkWindow(chunk.data, chunk.mint, mint, maxt);
      if (c.t.length > 0) parts.push(c);
    }
    if (s.head.n > 0 && s.head.maxt >= mint && s.head.mint <= maxt) parts.push(s.head.range(mint, maxt));
    if (parts.length === 0) return EMPTY;
    if (parts.length === 1) return parts[0];
    let total = 0;
    for (const p of parts) total += p.t.length;
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

function labelValue(labels: Labels, name: string): string | undefined {
  for (const l of labels) if (l.name === name) return l.value;
  return undefined;
}
