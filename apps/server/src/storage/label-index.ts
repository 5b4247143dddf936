import { getLabel, type Labels } from '../model/labels.js';
import type { Matcher } from '../model/matchers.js';

/**
 * An inverted index from label pairs to series ids (postings), for selecting series by matchers
 * without looking at every series: equality matchers read one postings list, regex and
 * inequality matchers the lists of the values they accept. Postings lists stay sorted by id.
 */
export class LabelIndex {
  private readonly postings = new Map<string, Map<string, number[]>>();
  private readonly labelsById = new Map<number, Labels>();
  private all: number[] = [];

  add(id: number, labels: Labels): void {
    this.labelsById.set(id, labels);
    insertSorted(this.all, id);
    for (const { name, value } of labels) {
      let values = this.postings.get(name);
      if (!values) {
        values = new Map();
        this.postings.set(name, values);
      }
      const list = values.get(value);
      if (list) insertSorted(list, id);
      else values.set(value, [id]);
    }
  }

  get size(): number {
    return this.all.length;
  }

  /** Ids of the series matching every matcher, ascending. */
  select(matchers: readonly Matcher[]): number[] {
    let candidates: number[] | undefined;
    for (const m of matchers) {
      if (m.matchesEmpty()) continue; // also matches series without the label: filtered below
      const list = this.postingsFor(m);
      candidates = candidates ? intersect(candidates, list) : list;
      if (candidates.length === 0) return [];
    }
    const base = candidates ?? this.all;
    const rest = matchers.filter((m) => m.matchesEmpty());
    if (rest.length === 0) return candidates ? base : [...base];
    const out: number[] = [];
    for (const id of base) {
      const labels = this.labelsById.get(id) as Labels;
      let ok = true;
      for (const m of rest) {
        if (!m.matches(getLabel(labels, m.name))) {
          ok = false;
          break;
        }
      }
      if (ok) out.push(id);
    }
    return out;
  }

  private postingsFor(m: Matcher): number[] {
    const values = this.postings.get(m.name);
    if (!values) return [];
    if (m.type === '=') return values.get(m.value) ?? [];
    const lists: number[][] = [];
    for (const [value, list] of values) if (m.matches(value)) lists.push(list);
    if (lists.length === 1) return lists[0];
    return lists.flat().sort((a, b) => a - b);
  }
}

function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}

/** Appends in the common case (ids arrive in order), inserts otherwise. */
function insertSorted(list: number[], id: number): void {
  let i = list.length;
  if (i === 0 || list[i - 1] < id) {
    list.push(id);
    return;
  }
  while (i > 0 && list[i - 1] > id) i--;
  if (list[i - 1] !== id) list.splice(i, 0, id);
}
