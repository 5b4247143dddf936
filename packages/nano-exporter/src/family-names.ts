import type { MetricFamily } from '@motley/exporter-kit';

/**
 * Metric names and HELP texts built from a field name (`node_memory_${key}`), made once per key
 * instead of on every scrape: without an optimizing compiler (nano-exporter's unit), building
 * strings and the garbage it leaves is a large part of a scrape's collection work.
 */
export class FamilyNames {
  private readonly known = new Map<string, { name: string; help: string }>();
  constructor(private readonly make: (key: string) => { name: string; help: string }) {}

  get(key: string): { name: string; help: string } {
    let names = this.known.get(key);
    if (!names) {
      names = this.make(key);
      this.known.set(key, names);
    }
    return names;
  }
}

/** The family kept under `key`, made by `make(key)` the first time the key comes up. */
export function familyFor<K>(
  families: Map<K, MetricFamily>,
  key: K,
  make: (key: K) => MetricFamily,
): MetricFamily {
  let f = families.get(key);
  if (!f) {
    f = make(key);
    families.set(key, f);
  }
  return f;
}
