import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '../model/labels.js';
import { Matcher } from '../model/matchers.js';
import { LabelIndex } from './label-index.js';

/** 2,000 series: metric m<i % 50>, job a/b; ids added out of order to exercise sorted inserts. */
function build(): { index: LabelIndex; labels: Map<number, Record<string, string>> } {
  const index = new LabelIndex();
  const labels = new Map<number, Record<string, string>>();
  const ids = Array.from({ length: 2000 }, (_, i) => i + 1);
  for (let i = 0; i < ids.length; i += 7)
    [ids[i], ids[ids.length - 1 - i]] = [ids[ids.length - 1 - i], ids[i]];
  for (const id of ids) {
    const record = { __name__: `m${id % 50}`, job: id % 3 === 0 ? 'a' : 'b' };
    labels.set(id, record);
    index.add(id, labelsFromRecord(record));
  }
  return { index, labels };
}

describe('LabelIndex', () => {
  it('selects with regex matchers over many values, ascending, as a scan of every series would', () => {
    const { index, labels } = build();
    const cases: Matcher[][] = [
      [new Matcher('=~', '__name__', 'm.+')], // nearly every series: the bitmap union
      [new Matcher('=~', '__name__', 'm(1|2|3)')], // few series: the sorted union
      [new Matcher('=~', '__name__', 'm4.'), new Matcher('=', 'job', 'a')],
      [new Matcher('!~', '__name__', 'm1.*'), new Matcher('=~', 'job', 'a|b')],
      [new Matcher('=~', '__name__', 'nothing.*')],
    ];
    for (const matchers of cases) {
      const want = [...labels]
        .filter(([, r]) => matchers.every((m) => m.matches(r[m.name] ?? '')))
        .map(([id]) => id)
        .sort((a, b) => a - b);
      expect(index.select(matchers), matchers.map(String).join(',')).toEqual(want);
    }
  });
});
