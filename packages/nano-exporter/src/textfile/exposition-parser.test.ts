import { describe, expect, it } from 'vitest';
import { parseExposition } from './exposition-parser.js';

describe('parseExposition', () => {
  it('reads HELP, TYPE, labels with escapes, and special values', () => {
    const families = parseExposition(
      [
        '# HELP jobs_total Jobs done.\\nPer queue.',
        '# TYPE jobs_total counter',
        'jobs_total{queue="a\\"b",path="C:\\\\x"} 3',
        'jobs_total{queue="multi\\nline"} +Inf',
        'free_form 1.5e3',
        '# a comment',
        '',
      ].join('\n'),
      'default help',
    );
    expect(families).toEqual([
      {
        name: 'jobs_total',
        help: 'Jobs done.\nPer queue.',
        type: 'counter',
        samples: [
          { labels: { queue: 'a"b', path: 'C:\\x' }, value: 3 },
          { labels: { queue: 'multi\nline' }, value: Number.POSITIVE_INFINITY },
        ],
      },
      {
        name: 'free_form',
        help: 'default help',
        type: 'untyped',
        samples: [{ labels: undefined, value: 1500 }],
      },
    ]);
  });
  it('groups histogram series under their family', () => {
    const [h] = parseExposition(
      '# TYPE lat histogram\nlat_bucket{le="1"} 2\nlat_bucket{le="+Inf"} 3\nlat_sum 4.5\nlat_count 3\n',
      'x',
    );
    expect(h.name).toBe('lat');
    expect(h.samples.map((s) => s.name)).toEqual(['lat_bucket', 'lat_bucket', 'lat_sum', 'lat_count']);
  });
  it('refuses timestamps, bad values and broken label sets with the line number', () => {
    expect(() => parseExposition('ok 1\nwith_ts 1 1700000000000\n', 'x')).toThrow(
      'line 2: client-side timestamps are not supported',
    );
    expect(() => parseExposition('m abc\n', 'x')).toThrow('line 1: bad value "abc"');
    expect(() => parseExposition('m{a="1" 2\n', 'x')).toThrow('line 1:');
    expect(() => parseExposition('# TYPE m gauge\n# TYPE m counter\n', 'x')).toThrow('second TYPE line');
    expect(() => parseExposition('m{a="1",a="2"} 2\n', 'x')).toThrow('duplicate label a');
  });
});
