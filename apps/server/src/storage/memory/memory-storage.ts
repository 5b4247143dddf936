import { type Labels, labelsKey } from '../../model/labels.js';
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
  v: number[];
}

/** An in-memory Storage: the test double every implementation is checked against. */
export class MemoryStorage implements Storage {
  private readonly byKey = new Map<string, MemSeries>();
  private readonly byRef = new Map<number, MemSeries>();
  private nextRef = 1;

  appender(): Appender {
    const pending: Array<{ labels: Labels; t: number; v: number }> = [];
    return {
      append: (ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef => {
        validateSample(labels, t);
        pending.push({ labels, t, v });
        return ref || this.refFor(labels);
      },
      commit: async () => {
        for (const p of pending) this.insert(p.labels, p.t, p.v);
        pending.length = 0;
      },
      rollback: () => {
        pending.length = 0;
      },
    };
  }

  private refFor(labels: Labels): number {
    return this.seriesFor(labels).ref;
  }

  private seriesFor(labels: Labels): MemSeries {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (!s) {
      s = { ref: this.nextRef++, labels: [...labels], t: [], v: [] };
      this.byKey.set(key, s);
      this.byRef.set(s.ref, s);
    }
    return s;
  }

  private insert(labels: Labels, t: number, v: number): void {
    const s = this.seriesFor(labels);
    const n = s.t.length;
    if (n === 0 || s.t[n - 1] < t) {
      s.t.push(t);
      s.v.push(v);
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
    if (s.t[lo] === t) s.v[lo] = v;
    else {
      s.t.splice(lo, 0, t);
      s.v.splice(lo, 0, v);
    }
  }

  querier(mint: number, maxt: number): Querier {
    const inRange = (s: MemSeries): SampleArrays => {
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < s.t.length; i++) {
        if (s.t[i] >= mint && s.t[i] <= maxt) {
          t.push(s.t[i]);
          v.push(s.v[i]);
        }
      }
      return { t: Float64Array.from(t), v: Float64Array.from(v) };
    };
    const matching = (matchers: readonly Matcher[] = []): MemSeries[] => {
      const out: MemSeries[] = [];
      for (const s of this.byKey.values()) {
        if (!s.t.some((t) => t >= mint && t <= maxt)) continue;
        const get = (name: string) => s.labels.find((l) => l.name === name)?.value ?? '';
        if (matchers.every((m) => m.matches(get(m.name)))) out.push(s);
      }
      return out.sort((a, b) => compareLabels(a.labels, b.labels));
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

/** Orders label sets as Prometheus does: pairwise by name, then value; shorter first. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i].name !== b[i].name) return a[i].name < b[i].name ? -1 : 1;
    if (a[i].value !== b[i].value) return a[i].value < b[i].value ? -1 : 1;
  }
  return a.length - b.length;
}
