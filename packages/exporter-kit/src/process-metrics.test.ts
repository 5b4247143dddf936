import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processFamilies } from './process-metrics.js';

const value = (name: string) => {
  const f = processFamilies().find((x) => x.name === name);
  return f?.samples[0]?.value;
};

describe('processFamilies', () => {
  it('counts open descriptors as a listing of /proc/self/fd does', () => {
    const listed = readdirSync('/proc/self/fd').length;
    const counted = value('process_open_fds') ?? 0;
    // The first call opens /proc/self/stat and /proc/self/limits, which then stay open.
    expect(Math.abs(counted - listed)).toBeLessThanOrEqual(2);
    expect(value('process_open_fds')).toBe(readdirSync('/proc/self/fd').length);
  });

  it('reads the same values on every call from the descriptors it keeps open', () => {
    const first = value('process_start_time_seconds');
    expect(first).toBeGreaterThan(1e9);
    expect(value('process_start_time_seconds')).toBe(first);
    expect(value('process_max_fds')).toBeGreaterThan(0);
    const rss = value('process_resident_memory_bytes') ?? 0;
    expect(rss).toBeGreaterThan(1024 * 1024);
    expect(value('process_virtual_memory_bytes')).toBeGreaterThan(rss);
    const cpu = value('process_cpu_seconds_total') ?? 0;
    expect(cpu).toBeGreaterThan(0);
    // Counts from getrusage match what the kernel reports in /proc/self/stat (in 1/100 s).
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    expect(Math.abs(cpu - (Number(f[11]) + Number(f[12])) / 100)).toBeLessThan(0.1);
  });
});
