import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { type FlagSpec, formatHelp, parseDuration, parseFlags } from './flags.js';

const specs: FlagSpec[] = [
  { name: 'web.listen-address', kind: 'strings', default: [':9100'], help: 'addr' },
  { name: 'collector.cpu', kind: 'boolean', default: true, help: 'cpu' },
  { name: 'stdout', kind: 'boolean', help: 'once' },
  { name: 'poll.interval', kind: 'duration', default: '10s', help: 'poll' },
  { name: 'n', kind: 'number', default: 3, help: 'n' },
  { name: 'keyfile', kind: 'string', short: 'k', help: 'keys' },
];

describe('parseFlags', () => {
  it('applies defaults when nothing is given', () => {
    const f = parseFlags(specs, []);
    expect(f.strings('web.listen-address')).toEqual([':9100']);
    expect(f.boolean('collector.cpu')).toBe(true);
    expect(f.boolean('stdout')).toBe(false);
    expect(f.duration('poll.interval')).toBe(10_000);
    expect(f.number('n')).toBe(3);
    expect(f.isSet('n')).toBe(false);
  });

  it('accepts --name=value, --name value, repeats, --no-bool and short aliases', () => {
    const f = parseFlags(specs, [
      '--web.listen-address=[::]:9100',
      '--web.listen-address',
      '127.0.0.1:9101',
      '--no-collector.cpu',
      '--stdout',
      '--poll.interval=1m30s',
      '-k',
      'keys.txt',
      'AA:BB',
    ]);
    expect(f.strings('web.listen-address')).toEqual(['[::]:9100', '127.0.0.1:9101']);
    expect(f.boolean('collector.cpu')).toBe(false);
    expect(f.boolean('stdout')).toBe(true);
    expect(f.duration('poll.interval')).toBe(90_000);
    expect(f.string('keyfile')).toBe('keys.txt');
    expect(f.positional).toEqual(['AA:BB']);
    expect(f.isSet('poll.interval')).toBe(true);
  });

  it('splits comma-separated values of repeatable flags', () => {
    expect(parseFlags(specs, ['--web.listen-address=:1,:2']).strings('web.listen-address')).toEqual([
      ':1',
      ':2',
    ]);
  });

  it('rejects unknown flags, missing values and bad values with a UsageError naming the flag', () => {
    expect(() => parseFlags(specs, ['--nope'])).toThrow(/unknown flag --nope/);
    expect(() => parseFlags(specs, ['--n'])).toThrow(/--n needs a value/);
    expect(() => parseFlags(specs, ['--n=abc'])).toThrow(/--n: not a number/);
    expect(() => parseFlags(specs, ['--poll.interval=10 minutes'])).toThrow(
      /--poll.interval: not a valid duration/,
    );
    expect(() => parseFlags(specs, ['--stdout=maybe'])).toThrow(UsageError);
  });
});

describe('parseDuration', () => {
  it('reads Prometheus durations', () => {
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('99y')).toBe(99 * 365 * 86_400_000);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('1.5h')).toThrow(UsageError);
    expect(() => parseDuration('')).toThrow(UsageError);
  });
});

describe('formatHelp', () => {
  it('lists every flag with its default', () => {
    const text = formatHelp('x-exporter', 'An exporter.', specs);
    for (const s of specs)
      expect(text).toContain(s.kind === 'boolean' && s.default ? `--[no-]${s.name}` : `--${s.name}`);
    expect(text).toContain('(default: :9100)');
    expect(text).toContain('--[no-]collector.cpu');
    expect(text).toContain('(default: enabled)');
    expect(text).toContain('(default: 10s)');
  });
});
