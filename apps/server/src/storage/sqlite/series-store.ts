import type Database from 'better-sqlite3';
import type { Label, Labels } from '../../model/labels.js';

/**
 * The series table on disk. Label pairs are stored once in a dictionary and a series is a list of
 * pair ids (varints), which keeps the series table a few bytes per series.
 */
export class SeriesStore {
  private readonly pairIds = new Map<string, number>();
  private readonly pairs: Label[] = [];
  private nextPairId = 1;
  private readonly insertPair: Database.Statement;
  private readonly insertSeries: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertPair = db.prepare('INSERT INTO label_pairs (id, name, value) VALUES (?, ?, ?)');
    this.insertSeries = db.prepare('INSERT OR REPLACE INTO series (id, pairs) VALUES (?, ?)');
  }

  /** Every stored series, in id order. */
  load(): Array<{ id: number; labels: Labels }> {
    for (const row of this.db.prepare('SELECT id, name, value FROM label_pairs').iterate() as Iterable<{
      id: number;
      name: string;
      value: string;
    }>) {
      const pair = { name: row.name, value: row.value };
      this.pairs[row.id] = pair;
      this.pairIds.set(`${row.name}\xff${row.value}`, row.id);
      if (row.id >= this.nextPairId) this.nextPairId = row.id + 1;
    }
    const out: Array<{ id: number; labels: Labels }> = [];
    for (const row of this.db.prepare('SELECT id, pairs FROM series ORDER BY id').iterate() as Iterable<{
      id: number;
      pairs: Buffer;
    }>) {
      const labels: Label[] = [];
      let x = 0;
      let mul = 1;
      for (const b of row.pairs) {
        x += (b & 0x7f) * mul;
        mul *= 128;
        if (b < 0x80) {
          const pair = this.pairs[x];
          if (!pair)
            throw new Error(`series ${row.id} refers to unknown label pair ${x}: the database is damaged`);
          labels.push(pair);
          x = 0;
          mul = 1;
        }
      }
      out.push({ id: row.id, labels });
    }
    return out;
  }

  /** Writes a series; call inside a transaction. */
  insert(id: number, labels: Labels): void {
    const bytes: number[] = [];
    for (const l of labels) {
      const key = `${l.name}\xff${l.value}`;
      let pid = this.pairIds.get(key);
      if (pid === undefined) {
        pid = this.nextPairId++;
        this.insertPair.run(pid, l.name, l.value);
        this.pairIds.set(key, pid);
        this.pairs[pid] = l;
      }
      while (pid >= 0x80) {
        bytes.push((pid & 0x7f) | 0x80);
        pid = Math.floor(pid / 128);
      }
      bytes.push(pid);
    }
    this.insertSeries.run(id, Buffer.from(bytes));
  }

  /** Forgets pairs added by a transaction that rolled back, so their ids are issued again. */
  forgetPairsFrom(firstId: number): void {
    for (let id = firstId; id < this.nextPairId; id++) {
      const p = this.pairs[id];
      if (p) this.pairIds.delete(`${p.name}\xff${p.value}`);
      this.pairs[id] = undefined as unknown as Label;
    }
    this.nextPairId = firstId;
  }

  get nextPair(): number {
    return this.nextPairId;
  }
}
