import { type FlagSpec, type ParsedFlags, UsageError } from '@motley/exporter-kit';
import type { EngineOptions } from './engine.js';

/** Query engine flags, named as Prometheus names them. */
export const queryFlags: FlagSpec[] = [
  {
    name: 'query.timeout',
    kind: 'duration',
    default: '2m',
    placeholder: 'DURATION',
    help: 'Maximum time a query may take before it is aborted',
  },
  {
    name: 'query.max-samples',
    kind: 'number',
    default: 50_000_000,
    placeholder: 'N',
    help: 'Maximum number of samples a single query may load and hold; larger queries fail instead of exhausting memory',
  },
  {
    name: 'query.lookback-delta',
    kind: 'duration',
    default: '5m',
    placeholder: 'DURATION',
    help: 'How far back an instant selector looks for the latest sample',
  },
];

export function engineOptionsFromFlags(flags: ParsedFlags): EngineOptions {
  const timeout = flags.duration('query.timeout');
  const maxSamples = flags.number('query.max-samples');
  const lookbackDelta = flags.duration('query.lookback-delta');
  if (!(timeout > 0)) throw new UsageError('--query.timeout must be longer than 0s, e.g. 2m');
  if (!Number.isInteger(maxSamples) || maxSamples < 1) {
    throw new UsageError(`--query.max-samples must be a positive whole number, got ${maxSamples}`);
  }
  if (!(lookbackDelta > 0)) throw new UsageError('--query.lookback-delta must be longer than 0s, e.g. 5m');
  return { timeout, maxSamples, lookbackDelta };
}
