import type { WriteSeries } from './remote-write-encoder.js';

/**
 * Turns samples at `indices` into Prometheus' staleness marker and drops the next 20 samples, as a
 * scrape loop does when a target disappears. Bits are written through a Uint32Array view: the
 * marker is one NaN payload among many and plain JS arrays would not keep it.
 */
function markStale(series: WriteSeries, indices: number[]): void {
  const words = new Uint32Array(series.v.buffer);
  const keep: number[] = [];
  for (let i = 0; i < series.t.length; i++) {
    if (indices.some((at) => i > at && i <= at + 20)) continue;
    keep.push(i);
  }
  for (const at of indices) {
    words[at * 2] = 2;
    words[at * 2 + 1] = 0x7ff00000;
  }
  const t = keep.map((i) => series.t[i]);
  const v = new Float64Array(keep.length);
  keep.forEach((from, to) => {
    v[to] = series.v[from];
  });
  series.t = t;
  series.v = v;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DATA_START = 1_700_000_000_000;
export const SCRAPE_INTERVAL = 15_000;
export const DATA_POINTS = 240; // one hour at 15 s

/**
 * A node-exporter-shaped dataset: counters with resets, gauges, a classic histogram, a few gaps.
 * Every series has its own sub-second phase so no sample lies on a query grid, where Prometheus
 * 2.x (closed windows) and 3.x (left-open windows) would disagree.
 */
export function buildDataset(): WriteSeries[] {
  const rnd = prng(42);
  const out: WriteSeries[] = [];
  const add = (labels: Record<string, string>, value: (i: number, prev: number) => number, gapEvery = 0) => {
    // Odd millisecond phases; queries use even milliseconds, so no sample sits on a window edge.
    const phase = 1 + 2 * Math.floor(rnd() * 7_000);
    const t: number[] = [];
    const v: number[] = [];
    let prev = 0;
    for (let i = 0; i < DATA_POINTS; i++) {
      if (gapEvery && i % gapEvery >= gapEvery - 3) continue;
      prev = value(i, prev);
      t.push(DATA_START + i * SCRAPE_INTERVAL + phase + (i % 3) * 8);
      v.push(prev);
    }
    out.push({ labels, t, v: Float64Array.from(v) });
  };
  const instances = ['host-a:9100', 'host-b:9100', 'host-c:9100'];
  for (const [h, instance] of instances.entries()) {
    const job = h === 2 ? 'edge' : 'node';
    for (const cpu of ['0', '1']) {
      for (const mode of ['idle', 'user', 'system', 'iowait']) {
        const speed = mode === 'idle' ? 0.8 : 0.05 + rnd() * 0.2;
        add({ __name__: 'node_cpu_seconds_total', instance, job, cpu, mode }, (i, prev) =>
          // host-b's counters reset once, mid-way.
          h === 1 && i === 130
            ? rnd() * 3
            : (i === 0 ? 1000 + rnd() * 5000 : prev) + speed * 15 * (0.5 + rnd()),
        );
      }
    }
    const total = 8e9 * (h + 1);
    add({ __name__: 'node_memory_MemTotal_bytes', instance, job }, () => total);
    add(
      { __name__: 'node_memory_MemAvailable_bytes', instance, job },
      (i) => total * (0.3 + 0.2 * Math.sin(i / 20) + 0.05 * rnd()),
    );
    add({ __name__: 'node_load1', instance, job }, () => Math.round(rnd() * 400) / 100, h === 2 ? 40 : 0);
    for (const device of ['eth0', 'lo']) {
      add(
        { __name__: 'node_network_receive_bytes_total', instance, job, device },
        (i, prev) => (i === 0 ? 1e6 : prev) + Math.floor(rnd() * 1e5),
      );
    }
    for (const [mountpoint, fstype] of [
      ['/', 'ext4'],
      ['/run', 'tmpfs'],
      ['/data', 'xfs'],
    ]) {
      const size = 1e11 * (1 + h);
      add(
        { __name__: 'node_filesystem_size_bytes', instance, job, mountpoint, fstype, device: `sd${h}` },
        () => size,
      );
      add(
        { __name__: 'node_filesystem_avail_bytes', instance, job, mountpoint, fstype, device: `sd${h}` },
        (i) => size * (0.5 - i / 1000 - rnd() * 0.01),
      );
    }
    add(
      { __name__: 'node_temperature_celsius', instance, job, sensor: 'cpu' },
      () => Math.round((-5 + rnd() * 60) * 10) / 10,
    );
    // A target that goes away twice: its last sample before each outage is a stale marker.
    add({ __name__: 'flapping_up', instance, job }, () => 1);
    markStale(out[out.length - 1], [60 + h * 7, 150 + h * 5]);
    for (const handler of ['/api', '/metrics']) {
      const bounds = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'];
      // Cumulative bucket counts per step, computed first so every bucket series reads one table.
      const table: number[][] = [];
      const counts = bounds.map(() => 0);
      for (let i = 0; i < DATA_POINTS; i++) {
        let cum = 0;
        for (let b = 0; b < bounds.length; b++) {
          cum += Math.floor(rnd() * 20 * (b + 1));
          counts[b] += cum / 4;
        }
        table.push([...counts]);
      }
      for (const [b, le] of bounds.entries()) {
        add(
          { __name__: 'http_request_duration_seconds_bucket', instance, job, handler, le },
          (i) => table[i][b],
        );
      }
    }
  }
  return out;
}
