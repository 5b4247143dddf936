import { type Labels, labelsKey } from '../../model/labels.js';
import { LabelIndex } from '../label-index.js';
import { HeadArena } from './head-chunk.js';
import { RawKeyIndex } from './raw-key-index.js';
import type { SeriesState } from './sqlite-storage.js';

/**
 * Every series the storage knows, by id, by label set and by the keys ingest resolves them with,
 * and the label index that selects them. Ids are handed out here; a series becomes known when its
 * first commit succeeds (adopt) and is forgotten again if that commit fails (disown).
 */
export class SeriesRegistry {
  readonly index = new LabelIndex();
  readonly series: Array<SeriesState | undefined> = [];
  /** Ingest keys (e.g. exposition series text) already resolved to a series. */
  readonly byKey = new Map<string, SeriesState>();
  /** Raw remote-write label bytes already resolved to a series. */
  readonly byRawKey = new RawKeyIndex<SeriesState>();
  private readonly byCanonical = new Map<string, SeriesState>();
  /**
   * One copy of each label name and value, shared by every series that has it: decoded per series,
   * 16,000 node_exporter series held 160,000 strings (7.6 MB of heap) for a few thousand distinct.
   */
  private readonly strings = new Map<string, string>();
  private nextId = 1;
  private readonly heads: HeadArena;

  constructor(chunkSamples: number) {
    this.heads = new HeadArena(chunkSamples);
  }

  lookup(labels: Labels): SeriesState | undefined {
    return this.byCanonical.get(labelsKey(labels));
  }

  /** A series loaded from the database, with the id it has there. */
  register(id: number, labels: Labels): SeriesState {
    const s = this.empty(id, labels);
    this.adopt(s);
    if (id >= this.nextId) this.nextId = id + 1;
    return s;
  }

  /** The in-memory state of a series the appender has not committed yet (a new id). */
  create(labels: Labels): SeriesState {
    return this.empty(this.nextId++, labels);
  }

  adopt(s: SeriesState): void {
    this.series[s.id] = s;
    this.byCanonical.set(labelsKey(s.labels), s);
    this.index.add(s.id, s.labels);
  }

  disown(s: SeriesState): void {
    // Only for a failed first commit of a series; the label index keeps a dead id, which selects
    // nothing because the series has no samples.
    if (this.series[s.id] === s) this.series[s.id] = undefined;
    if (this.byCanonical.get(labelsKey(s.labels)) === s) this.byCanonical.delete(labelsKey(s.labels));
    for (const [k, v] of this.byKey) if (v === s) this.byKey.delete(k);
    this.byRawKey.deleteValue(s);
  }

  private shared(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  /** Series with samples in their open head chunk. */
  headSeriesCount(): number {
    let n = 0;
    for (const s of this.series) if (s && s.head.n > 0) n++;
    return n;
  }

  private empty(id: number, labels: Labels): SeriesState {
    return {
      id,
      labels: labels.map((l) => ({ name: this.shared(l.name), value: this.shared(l.value) })),
      head: this.heads.chunk(id),
      pending: [],
      headRow: false,
      pendingDirty: false,
      openInRow: false,
      logFrom: Number.POSITIVE_INFINITY,
      sealedMaxT: Number.NEGATIVE_INFINITY,
      mint: Number.POSITIVE_INFINITY,
      maxt: Number.NEGATIVE_INFINITY,
    };
  }
}
