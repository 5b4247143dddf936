import { compareLabelSets, getLabel, type Labels } from '../model/labels.js';
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
  /** Each series' position in label order, by id; dropped when a series is added. */
  private ranks?: Uint32Array;

  add(id: number, labels: Labels): void {
    this.labelsById.set(id, labels);
    this.ranks = undefined;
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

  /**
   * Each series' position among all series in label order (Prometheus' result order), by id.
   * Sorted once after series were added, so that large selects can be ordered without comparing
   * label sets.
   */
  labelOrder(): Uint32Array {
    if (this.ranks) return this.ranks;
    const ranks = new Uint32Array(this.all.length > 0 ? this.all[this.all.length - 1] + 1 : 0);
    const ids = [...this.all];
    ids.sort((a, b) => compareLabelSets(this.labelsById.get(a) as Labels, this.labelsById.get(b) as Labels));
    for (let r = 0; r < ids.length; r++) ranks[ids[r]] = r;
    this.ranks = ranks;
    return ranks;
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
    let total = 0;
    values.forEach((list, value) => {
      if (!m.matches(value)) return;
      lists.push(list);
      total += list.length;
    });
    if (lists.length === 1) return lists[0];
    return unionSorted(lists, total, this.all.length > 0 ? this.all[this.all.length - 1] : 0);
  }
}

/**
 * The union of disjoint sorted id lists (one label's values), sorted. When the lists cover a
 * good part of the ids, marking them in a bitmap and reading it in order beats sorting.
 */
function unionSorted(lists: number[][], total: number, maxId: number): number[] {
  const out = new Array<number>(total);
  let k = 0;
  if (total * 8 >= maxId) {
    const seen = new Uint8Array(maxId + 1);
    for (let l = 0; l < lists.length; l++) {
      const list = lists[l];
      for (let i = 0; i < list.length; i++) seen[list[i]] = 1;
    }
    for (let id = 0; id <= maxId; id++) if (seen[id] === 1) out[k++] = id;
    return out;
  }
  const ids = new Float64Array(total);
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l];
    for (let i = 0; i < list.length; i++) ids[k++] = list[i];
  }
  ids.sort(); // numeric, without a comparator call per step
  for (let i = 0; i < total; i++) out[i] = ids[i];
  return out;
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
