import { compareLabelSets, type Labels, labelsKey } from '../../src/model/labels.js';
import type { Matcher } from '../../src/model/matchers.js';
import type { Querier, Queryable, Series } from '../../src/storage/interface.js';

/**
 * Loaded script data held in typed arrays, so NaN payloads (stale markers) stay bit-exact: a JS
 * number[] would canonicalise them.
 */
export class FixtureQueryable implements Queryable {
  private readonly series = new Map<string, { labels: Labels; t: number[]; v: Float64Array }>();

  add(labels: Labels, points: { t: number; v: number }[]): void {
    const key = labelsKey(labels);
    const prev = this.series.get(key);
    const merged = new Map<number, number>();
    const old = prev ? prev.t.map((t, i) => ({ t, v: prev.v[i] })) : [];
    for (const p of [...old, ...points]) merged.set(p.t, p.v);
    const ts = [...merged.keys()].sort((a, b) => a - b);
    // Map values and typed arrays keep NaN payloads; number[] would not.
    const v = new Float64Array(ts.length);
    ts.forEach((t, i) => {
      v[i] = merged.get(t)!;
    });
    this.series.set(key, { labels, t: ts, v });
  }

  querier(mint: number, maxt: number): Querier {
    const matching = (matchers: readonly Matcher[] = []) =>
      [...this.series.values()]
        .filter((s) => s.t.some((t) => t >= mint && t <= maxt))
        .filter((s) => matchers.every((m) => m.matches(s.labels.find((l) => l.name === m.name)?.value ?? '')))
        .sort((a, b) => compareLabelSets(a.labels, b.labels));
    return {
      select: (matchers): Series[] =>
        matching(matchers).map((s) => ({
          labels: s.labels,
          samples: () => {
            const from = s.t.findIndex((t) => t >= mint);
            let to = s.t.length;
            while (to > 0 && s.t[to - 1] > maxt) to--;
            return { t: Float64Array.from(s.t.slice(from, to)), v: s.v.slice(from, to) };
          },
        })),
      labelNames: (matchers) =>
        [...new Set(matching(matchers).flatMap((s) => s.labels.map((l) => l.name)))].sort(),
      labelValues: (name, matchers) =>
        [
          ...new Set(
            matching(matchers).flatMap((s) => s.labels.filter((l) => l.name === name).map((l) => l.value)),
          ),
        ].sort(),
      close: () => {},
    };
  }
}
