import { parseFlags, UsageError } from '@motley/exporter-kit';
import { describe, expect, it } from 'vitest';
import { engineOptionsFromFlags, queryFlags } from '../../src/promql/flags.js';

describe('query flags', () => {
  it('defaults to Prometheus values', () => {
    expect(engineOptionsFromFlags(parseFlags(queryFlags, []))).toEqual({
      timeout: 120_000,
      maxSamples: 50_000_000,
      lookbackDelta: 300_000,
    });
  });

  it('reads durations and counts', () => {
    const flags = parseFlags(queryFlags, [
      '--query.timeout=30s',
      '--query.max-samples=1000',
      '--query.lookback-delta=1m',
    ]);
    expect(engineOptionsFromFlags(flags)).toEqual({
      timeout: 30_000,
      maxSamples: 1000,
      lookbackDelta: 60_000,
    });
  });

  it.each([
    ['--query.timeout=0', '--query.timeout must be longer than 0s'],
    ['--query.max-samples=0', '--query.max-samples must be a positive whole number'],
    ['--query.max-samples=1.5', '--query.max-samples must be a positive whole number'],
    ['--query.lookback-delta=0', '--query.lookback-delta must be longer than 0s'],
  ])('refuses %s', (arg, message) => {
    expect(() => engineOptionsFromFlags(parseFlags(queryFlags, [arg]))).toThrow(UsageError);
    expect(() => engineOptionsFromFlags(parseFlags(queryFlags, [arg]))).toThrow(message);
  });
});
