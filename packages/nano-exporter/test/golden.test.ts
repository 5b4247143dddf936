import { readFileSync, writeFileSync } from 'node:fs';
import { ManualClock, promtoolCheckMetrics, startOnRandomPort } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition } from '../src/exporter.js';
import { FIXTURES, textfileDir } from './support.js';

/**
 * nano-exporter over the fixture tree of real /proc and /sys files (plus hand-written hwmon,
 * thermal, mdstat, zfs, schedstat and cpufreq) against a committed golden exposition.
 * Regenerate after an intended change: UPDATE_GOLDEN=1 pnpm exec vitest run packages/nano-exporter
 */
const GOLDEN = new URL('./golden/fixtures.prom', import.meta.url);

// The collectors that read the live system (statfs, uname(2), the clock) are left out here and
// compared against node_exporter on this machine in interop-live.test.ts instead.
const ARGS = [
  `--path.procfs=${FIXTURES}/proc`,
  `--path.sysfs=${FIXTURES}/sys`,
  `--path.rootfs=${FIXTURES}/rootfs`,
  '--path.udev.data=/nonexistent',
  '--no-collector.filesystem',
  '--no-collector.uname',
  '--no-collector.time',
];

/**
 * promtool lints node_exporter's own historic names (node_memory_MemTotal_bytes and
 * node_netstat_Tcp_InSegs are camelCase, entropy is in bits, kstat counters lack _total); they
 * are kept for compatibility. Any other lint problem fails the test.
 */
const INHERITED_LINT = [
  /^node_(memory|netstat)_\S+ metric names should be written in 'snake_case' not 'camelCase'$/,
  /^node_entropy_(available|pool_size)_bits use base unit "bytes" instead of "bits"$/,
  /^node_(zfs|vmstat|netstat)_\S+ counter metrics should have "_total" suffix$/,
];

describe('golden output over the fixture tree', () => {
  const textfiles = textfileDir();
  let raw = '';
  let text = '';
  beforeAll(async () => {
    const running = await startOnRandomPort(
      definition,
      [...ARGS, `--collector.textfile.directory=${textfiles.path}`],
      {
        clock: new ManualClock(),
      },
    );
    try {
      raw = (await running.scrapeText()).text;
      text = raw
        .replaceAll(textfiles.path, '<textfile-dir>')
        // Labels that hold a path under --path.sysfs (rapl's path) depend on where the checkout is.
        .replaceAll(FIXTURES, '<fixtures>')
        .replace(/^nano_exporter_build_info\{.*$/m, 'nano_exporter_build_info{<node and version>} 1');
    } finally {
      await running.stop();
    }
  });
  afterAll(() => textfiles.cleanup());

  it('matches the golden file', () => {
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('has every collector succeed', () => {
    const failed = text
      .split('\n')
      .filter((l) => l.startsWith('node_scrape_collector_success') && l.endsWith(' 0'));
    expect(failed).toEqual([]);
    expect(text).toContain('node_scrape_collector_success{collector="zfs"} 1');
  });

  it('passes promtool check metrics, apart from the names node_exporter itself uses', () => {
    const result = promtoolCheckMetrics(raw);
    if (!result) return; // promtool absent outside CI
    const problems = result.output
      .split('\n')
      .filter((l) => l.trim() !== '')
      .filter((l) => !INHERITED_LINT.some((re) => re.test(l)));
    expect(problems).toEqual([]);
    expect(result.output).not.toContain('error while linting');
  });
});
