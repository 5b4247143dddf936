import { compareLabelSets, getLabel, type Labels, labelsKey } from '../../model/labels.js';
import type { Matcher } from '../../model/matchers.js';
import type {
  Appender,
  Querier,
  SampleArrays,
  SelectHints,
  Series,
  SeriesRef,
  Storage,
} from '../interface.js';
import { validateSample } from '../validate.js';

interface MemSeries {
  ref: number;
  labels: Labels;
  /** Sorted by time, one sample per timestamp. */
  t: number[];
  /** Values in a typed array: V8 canonicalises NaN payloads stored in plain arrays. */
  v: GrowableFloats;
}

/** A Float64Array that grows, with splice-like insertion; keeps NaN payloads bit-exact. */
class GrowableFloats {
  private data = new Float64Array(8);
  length = 0;

  get(i: number): number {
    return this.data[i];
  }
  set(i: number, value: number): void {
    this.data[i] = value;
  }
  insert(i: number, value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data.copyWithin(i + 1, i, this.length);
    this.data[i] = value;
    this.length++;
  }
}

/** An in-memory Storage: the test double every implementation is checked against. */
export class MemoryStorage implements Storage {
  private readonly byKey = new Map<string, MemSeries>();
  private nextRef = 1;

  appender(): Appender {
    const pending: Array<{ labels: Labels; t: number }> = [];
    const pendingValues = new GrowableFloats();
    return {
      append: (ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef => {
        validateSample(labels, t);
        pending.push({ labels, t });
        pendingValues.insert(pendingValues.length, v);
        return ref || this.seriesFor(labels).ref;
      },
      commit: async () => {
        for (let i = 0; i < pending.length; i++)
          this.insert(pending[i].labels, pending[i].t, pendingValues.get(i));
        pending.length = 0;
        pendingValues.length = 0;
      },
      rollback: () => {
        pending.length = 0;
        pendingValues.length = 0;
      },
    };
  }

  private seriesFor(labels: Labels): MemSeries {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (!s) {
      s = { ref: this.nextRef++, labels: [...labels], t: [], v: new GrowableFloats() };
      this.byKey.set(key, s);
    }
    return s;
  }

  private insert(labels: Labels, t: number, v: number): void {
    const s = this.seriesFor(labels);
    const n = s.t.length;
    if (n === 0 || s.t[n - 1] < t) {
      s.t.push(t);
      s.v.insert(n, v);
      return;
    }
    // Out of order: binary search, and the latest write wins on an equal timestamp.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.t[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    if (s.t[lo] === t) s.v.set(lo, v);
    else {
      s.t.splice(lo, 0, t);
      s.v.insert(lo, v);
    }
  }

  querier(mint: number, maxt: number): Querier {
    const inRange = (s: MemSeries): SampleArrays => {
      const t: number[] = [];
      const v = new GrowableFloats();
      for (let i = 0; i < s.t.length; i++) {
        if (s.t[i] >= mint && s.t[i] <= maxt) {
          t.push(s.t[i]);
          v.insert(v.length, s.v.get(i));
        }
      }
      const values = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) values[i] = v.get(i);
      return { t: Float64Array.from(t), v: values };
    };
    const matching = (matchers: readonly Matcher[] = []): MemSeries[] => {
      const out: MemSeries[] = [];
      for (const s of this.byKey.values()) {
        if (!s.t.some((t) => t >= mint && t <= maxt)) continue;
        if (matchers.every((m) => m.matches(getLabel(s.labels, m.name)))) out.push(s);
      }
      return out.sort((a, b) => compareLabelSets(a.labels, b.labels));
    };
    return {
      select: (matchers: readonly Matcher[], _hints?: SelectHints): Series[] =>
        matching(matchers).map((s) => ({ labels: s.labels, samples: () => inRange(s) })),
      labelNames: (matchers) => {
        const names = new Set<string>();
        for (const s of matching(matchers)) for (const l of s.labels) names.add(l.name);
        return [...names].sort();
      },
      labelValues: (name, matchers) => {
        const values = new Set<string>();
        for (const s of matching(matchers)) {
          const v = s.labels.find((l) => l.name === name)?.value;
          if (v !== undefined) values.add(v);
        }
        return [...values].sort();
      },
      close: () => {},
    };
  }

  async stop(): Promise<void> {}
}
