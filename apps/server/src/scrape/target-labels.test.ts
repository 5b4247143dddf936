import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { labelsFromRecord } from '../model/labels.js';
import {
  formatGoDuration,
  needsDefaultPort,
  populateTargetLabels,
  scrapeUrl,
  targetTiming,
} from './target-labels.js';

const job = (extra = '') =>
  parseConfig(`scrape_configs:\n  - job_name: j\n    scrape_interval: 30s\n${extra}`, '/p.yml')
    .scrapeConfigs[0];

describe('target labels', () => {
  it('formats durations as Go does', () => {
    expect([500, 1000, 15_000, 60_000, 90_000, 3_600_000, 5_400_500].map(formatGoDuration)).toEqual([
      '500ms',
      '1s',
      '15s',
      '1m0s',
      '1m30s',
      '1h0m0s',
      '1h30m0.5s',
    ]);
  });

  it('completes missing ports only where Go would accept host:port', () => {
    expect(['host', '[::1]', 'host:1', '[::1]:9', '::1', '10.0.0.1'].map(needsDefaultPort)).toEqual([
      true,
      true,
      false,
      false,
      false,
      true,
    ]);
  });

  it('lets relabeling set a per-target interval, timeout, scheme and path', () => {
    const config = job(
      '    relabel_configs:\n      - target_label: __scrape_interval__\n        replacement: 1m\n      - target_label: __scrape_timeout__\n        replacement: 20s\n      - target_label: __scheme__\n        replacement: https\n      - target_label: __metrics_path__\n        replacement: /probe\n',
    );
    const r = populateTargetLabels(labelsFromRecord({ __address__: 'h:1' }), config);
    if (r.kind !== 'active') throw new Error(r.kind);
    expect(targetTiming(r.labels, config)).toEqual({ interval: 60_000, timeout: 20_000 });
    expect(scrapeUrl(r.labels, config)).toBe('https://h:1/probe');
  });

  it('refuses a timeout longer than the interval set by relabeling', () => {
    const config = job(
      '    relabel_configs:\n      - target_label: __scrape_timeout__\n        replacement: 1m\n',
    );
    const r = populateTargetLabels(labelsFromRecord({ __address__: 'h:1' }), config);
    if (r.kind !== 'active') throw new Error(r.kind);
    expect(targetTiming(r.labels, config)).toBe(
      'scrape timeout cannot be greater than scrape interval (1m0s > 30s)',
    );
  });

  it('reports a target whose address relabeling removed', () => {
    const config = job('    relabel_configs:\n      - target_label: __address__\n        replacement: ""\n');
    const r = populateTargetLabels(labelsFromRecord({ __address__: 'h:1' }), config);
    expect(r).toMatchObject({ kind: 'error', error: 'no address' });
  });
});
