import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Labels, labelsFromRecord } from '../../src/model/labels.js';
import { Matcher } from '../../src/model/matchers.js';
import { appendSeries } from '../../src/storage/bulk-append.js';
import { type Storage, StorageError } from '../../src/storage/interface.js';

/**
 * The behaviour every Storage implementation must share. Each implementation's test file calls
 * this with a factory; the factory may keep chunks small so that sealing and merging are exercised.
 */
export function describeStorageContract(
  name: string,
  create: () => Promise<{ storage: Storage; cleanup(): Promise<void> }>,
) {
  describe(`Storage contract: ${name}`, () => {
    let storage: Storage;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ storage, cleanup } = await create());
    });
    afterEach(async () => {
      await cleanup();
    });

    const L = (r: Record<string, string>): Labels => labelsFromRecord(r);
    const all = (s: Storage, matchers: Matcher[], mint = -Infinity, maxt = Infinity) =>
      s
        .querier(mint, maxt)
        .select(matchers)
        .map((x) => ({
          labels: x.labels.map((l) => `${l.name}=${l.value}`).join(','),
          t: [...x.samples().t],
          v: [...x.samples().v],
        }));

    it('makes samples visible on commit, not before; rollback discards them', async () => {
      const app = storage.appender();
      app.append(0, L({ __name__: 'up', job: 'a' }), 1000, 1);
      expect(all(storage, [new Matcher('=', '__name__', 'up')])).toEqual([]);
      await app.commit();
      expect(all(storage, [new Matcher('=', '__name__', 'up')])).toEqual([
        { labels: '__name__=up,job=a', t: [1000], v: [1] },
      ]);
      const app2 = storage.appender();
      app2.append(0, L({ __name__: 'up', job: 'a' }), 2000, 5);
      app2.append(0, L({ __name__: 'never', job: 'b' }), 2000, 5);
      app2.rollback();
      await app2.commit();
      expect(all(storage, [new Matcher('=~', '__name__', '.+')])).toEqual([
        { labels: '__name__=up,job=a', t: [1000], v: [1] },
      ]);
    });

    it('selects with =, !=, =~, !~ and treats a missing label as empty; results sorted by labels', async () => {
      const app = storage.appender();
      app.append(0, L({ __name__: 'm', env: 'prod', host: 'b' }), 1, 1);
      app.append(0, L({ __name__: 'm', env: 'dev', host: 'a' }), 1, 2);
      app.append(0, L({ __name__: 'm', host: 'c' }), 1, 3);
      app.append(0, L({ __name__: 'other', host: 'a' }), 1, 4);
      await app.commit();
      const values = (ms: Matcher[]) => all(storage, ms).map((s) => s.v[0]);
      expect(values([new Matcher('=', '__name__', 'm')])).toEqual([2, 1, 3]);
      expect(values([new Matcher('=', '__name__', 'm'), new Matcher('!=', 'env', 'prod')])).toEqual([2, 3]);
      expect(values([new Matcher('=', '__name__', 'm'), new Matcher('=', 'env', '')])).toEqual([3]);
      expect(values([new Matcher('=~', 'host', 'a|b')])).toEqual([2, 1, 4]);
      expect(values([new Matcher('=~', 'host', 'a')])).toEqual([2, 4]);
      expect(values([new Matcher('!~', 'env', 'pr.*'), new Matcher('=', '__name__', 'm')])).toEqual([2, 3]);
      expect(values([new Matcher('=~', 'env', '.+')])).toEqual([2, 1]);
      expect(values([new Matcher('=', 'nosuch', 'x')])).toEqual([]);
    });

    it('keeps one sample per timestamp (the latest write wins) and sorts out-of-order samples', async () => {
      const ls = L({ __name__: 'ooo' });
      for (const [t, v] of [
        [5000, 5],
        [1000, 1],
        [3000, 3],
        [3000, 33],
        [7000, 7],
        [2000, 2],
      ]) {
        const app = storage.appender();
        app.append(0, ls, t, v);
        await app.commit();
      }
      expect(all(storage, [new Matcher('=', '__name__', 'ooo')])).toEqual([
        { labels: '__name__=ooo', t: [1000, 2000, 3000, 5000, 7000], v: [1, 2, 33, 5, 7] },
      ]);
    });

    it('keeps a sparse series whose samples lie months apart, in and out of order', async () => {
      const ls = L({ __name__: 'sparse' });
      const day = 86_400_000;
      const t0 = 1_700_000_000_000;
      // 30 and 60 days apart (an open head chunk spans less than 2^31 ms, about 24.8 days),
      // then one in between, one long before and one repeated.
      const writes: Array<[number, number]> = [
        [t0, 1],
        [t0 + 30 * day, 2],
        [t0 + 90 * day, 3],
        [t0 + 45 * day, 4],
        [t0 - 400 * day, 5],
        [t0 + 30 * day, 6],
      ];
      for (const [t, v] of writes) {
        const app = storage.appender();
        app.append(0, ls, t, v);
        await app.commit();
      }
      expect(all(storage, [new Matcher('=', '__name__', 'sparse')])).toEqual([
        {
          labels: '__name__=sparse',
          t: [t0 - 400 * day, t0, t0 + 30 * day, t0 + 45 * day, t0 + 90 * day],
          v: [5, 1, 6, 4, 3],
        },
      ]);
    });

    it('backfills many samples across chunk boundaries and reads exact time ranges', async () => {
      const ls = L({ __name__: 'long', i: '1' });
      const n = 1000;
      // newest half first, then the older half as backfill, then overwrite some in the middle
      for (const [from, to] of [
        [500, 1000],
        [0, 500],
      ]) {
        const app = storage.appender();
        let ref = 0;
        for (let i = from; i < to; i++) ref = app.append(ref, ls, i * 15_000, i % 7 === 0 ? i : i / 4);
        await app.commit();
      }
      const fix = storage.appender();
      for (let i = 200; i < 800; i += 50) fix.append(0, ls, i * 15_000, -i);
      await fix.commit();
      const got = all(storage, [new Matcher('=', 'i', '1')])[0];
      expect(got.t.length).toBe(n);
      for (let i = 0; i < n; i++) {
        expect(got.t[i]).toBe(i * 15_000);
        const want = i >= 200 && i < 800 && (i - 200) % 50 === 0 ? -i : i % 7 === 0 ? i : i / 4;
        expect(got.v[i]).toBe(want);
      }
      const window = all(storage, [new Matcher('=', 'i', '1')], 15_000 * 100, 15_000 * 110)[0];
      expect(window.t).toEqual(Array.from({ length: 11 }, (_, k) => (100 + k) * 15_000));
      expect(all(storage, [new Matcher('=', 'i', '1')], 15_000 * 2000, 15_000 * 3000)).toEqual([]);
    });

    it('stores NaN payloads and stale markers bit-exactly', async () => {
      const v = new Float64Array(3);
      const w = new Uint32Array(v.buffer);
      w.set([2, 0x7ff00000, 0, 0x7ff80000, 0x12345, 0xfff00001]);
      const app = storage.appender();
      appendSeries(app, 'k', () => L({ __name__: 'nan' }), Float64Array.from([1, 2, 3]), v, 0, 3);
      await app.commit();
      const got = storage
        .querier(0, 10)
        .select([new Matcher('=', '__name__', 'nan')])[0]
        .samples().v;
      expect([...new Uint32Array(Float64Array.from(got).buffer)]).toEqual([...w]);
    });

    it('answers label names and values with matchers and time bounds', async () => {
      const app = storage.appender();
      app.append(0, L({ __name__: 'a', x: '1', y: 'p' }), 1000, 1);
      app.append(0, L({ __name__: 'b', x: '2' }), 5000, 1);
      app.append(0, L({ __name__: 'c', z: '3' }), 9000, 1);
      await app.commit();
      const q = storage.querier(0, 6000);
      expect(q.labelNames()).toEqual(['__name__', 'x', 'y']);
      expect(q.labelValues('x')).toEqual(['1', '2']);
      expect(q.labelValues('x', [new Matcher('=', '__name__', 'b')])).toEqual(['2']);
      expect(q.labelNames([new Matcher('=', '__name__', 'b')])).toEqual(['__name__', 'x']);
      expect(storage.querier(8000, 10_000).labelValues('__name__')).toEqual(['c']);
      expect(
        storage.querier(0, 6000).select([new Matcher('=~', '__name__', '.*')], { labelsOnly: true }).length,
      ).toBe(2);
    });

    it('rejects invalid input with StorageError and stores nothing of the rejected batch', async () => {
      const bad: Array<[Labels, number]> = [
        [L({ job: 'x' }), 1],
        [
          [
            { name: '__name__', value: 'm' },
            { name: '0bad', value: 'x' },
          ],
          1,
        ],
        [
          [
            { name: '__name__', value: 'm' },
            { name: 'b', value: '1' },
            { name: 'a', value: '2' },
          ],
          1,
        ],
        [L({ __name__: 'm' }), 1.5],
        [L({ __name__: 'm' }), 1e300],
        [L({ __name__: 'm' }), 253_402_300_800_000],
      ];
      for (const [labels, t] of bad) {
        const app = storage.appender();
        app.append(0, L({ __name__: 'good' }), 1, 1);
        expect(() => app.append(0, labels, t, 1)).toThrow(StorageError);
        app.rollback();
      }
      const app = storage.appender();
      expect(() =>
        appendSeries(
          app,
          'k2',
          () => L({ __name__: 'bulk' }),
          Float64Array.from([1, Number.NaN]),
          new Float64Array(2),
          0,
          2,
        ),
      ).toThrow(StorageError);
      app.rollback();
      expect(storage.querier(-Infinity, Infinity).labelValues('__name__')).toEqual([]);
    });

    it('bulk appends through keys like single appends, across appenders', async () => {
      const ls = L({ __name__: 'bulk', job: 'j' });
      for (let round = 0; round < 3; round++) {
        const app = storage.appender();
        const t = Float64Array.from({ length: 10 }, (_, i) => (round * 10 + i) * 1000);
        const v = Float64Array.from({ length: 10 }, (_, i) => round * 10 + i);
        appendSeries(app, round === 2 ? 'other-key-same-labels' : 'key', () => ls, t, v, 0, 10);
        await app.commit();
      }
      const got = all(storage, [new Matcher('=', 'job', 'j')]);
      expect(got.length).toBe(1);
      expect(got[0].v).toEqual(Array.from({ length: 30 }, (_, i) => i));
    });
  });
}
