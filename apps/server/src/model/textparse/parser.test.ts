import { describe, expect, it } from 'vitest';
import {
  Entry,
  type ExpositionFormat,
  ExpositionParser,
  formatForContentType,
  ParseError,
} from './parser.js';

interface Parsed {
  series: Array<{ key: string; labels: Record<string, string>; value: number; t?: number }>;
  meta: Array<[string, string, string]>;
}

function parseAll(text: string, format: ExpositionFormat = 'text'): Parsed {
  const p = new ExpositionParser(text, format);
  const out: Parsed = { series: [], meta: [] };
  for (let e = p.next(); e !== Entry.End; e = p.next()) {
    if (e === Entry.Series) {
      const labels = Object.fromEntries(p.labels().map((l) => [l.name, l.value]));
      out.series.push({
        key: p.seriesKey,
        labels,
        value: p.value,
        ...(p.timestamp !== undefined ? { t: p.timestamp } : {}),
      });
    } else {
      out.meta.push([
        e === Entry.Help ? 'help' : e === Entry.Type ? 'type' : 'unit',
        p.metricName,
        p.metaText,
      ]);
    }
  }
  return out;
}

describe('text format 0.0.4', () => {
  it('parses names, labels, values, timestamps and metadata', () => {
    const r = parseAll(
      [
        '# HELP http_requests_total The total number of HTTP requests.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="post",code="200"} 1027 1395066363000',
        'http_requests_total{method="post",code="400"}    3 1395066363000',
        '',
        '# A plain comment',
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
        'metric_without_timestamp_and_labels 12.47',
        'something_weird{problem="division by zero"} +Inf -3982045',
        '  indented_metric 1',
        'trailing_comma{a="1",} 2',
        'spaced { a = "1" , b="2" } 3',
      ].join('\n'),
    );
    expect(r.meta).toEqual([
      ['help', 'http_requests_total', 'The total number of HTTP requests.'],
      ['type', 'http_requests_total', 'counter'],
    ]);
    expect(r.series[0]).toEqual({
      key: 'http_requests_total{method="post",code="200"}',
      labels: { __name__: 'http_requests_total', method: 'post', code: '200' },
      value: 1027,
      t: 1395066363000,
    });
    expect(r.series[1].value).toBe(3);
    expect(r.series[2].labels).toEqual({
      __name__: 'msdos_file_access_time_seconds',
      path: 'C:\\DIR\\FILE.TXT',
      error: 'Cannot find file:\n"FILE.TXT"',
    });
    expect(r.series[3]).toEqual({
      key: 'metric_without_timestamp_and_labels',
      labels: { __name__: 'metric_without_timestamp_and_labels' },
      value: 12.47,
    });
    expect(r.series[4].value).toBe(Number.POSITIVE_INFINITY);
    expect(r.series[4].t).toBe(-3982045);
    expect(r.series[5].labels).toEqual({ __name__: 'indented_metric' });
    expect(r.series[6].labels).toEqual({ __name__: 'trailing_comma', a: '1' });
    expect(r.series[7].labels).toEqual({ __name__: 'spaced', a: '1', b: '2' });
  });

  it('reads NaN and the infinities in every spelling Go accepts', () => {
    const r = parseAll('a NaN\nb nan\nc -Inf\nd +inf\ne Inf\nf 1e-3\ng -0.5\nh .5\ni 5.\n');
    expect(Number.isNaN(r.series[0].value)).toBe(true);
    expect(Number.isNaN(r.series[1].value)).toBe(true);
    expect(r.series.slice(2).map((s) => s.value)).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      0.001,
      -0.5,
      0.5,
      5,
    ]);
  });

  it('keeps histograms and summaries as plain series', () => {
    const r = parseAll(
      '# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_bucket{le="+Inf"} 3\nh_sum 0.7\nh_count 3\n# TYPE s summary\ns{quantile="0.5"} 2\ns_sum 4\ns_count 2\n',
    );
    expect(r.series.map((s) => s.key)).toEqual([
      'h_bucket{le="0.1"}',
      'h_bucket{le="+Inf"}',
      'h_sum',
      'h_count',
      's{quantile="0.5"}',
      's_sum',
      's_count',
    ]);
  });

  it.each([
    ['no value', 'metric\n', /expected a value/],
    ['bad value', 'metric abc\n', /invalid value "abc"/],
    ['hex value', 'metric 0x1f\n', /invalid value/],
    ['float timestamp', 'metric 1 1.5\n', /invalid timestamp/],
    ['unterminated labels', 'metric{a="1" 1\n', /expected "," or "}"/],
    ['unquoted value', 'metric{a=1} 1\n', /quoted label value/],
    ['bad label name', 'metric{1a="x"} 1\n', /invalid label name/],
    ['bad metric name', '1metric 1\n', /invalid metric name/],
    ['duplicate label', 'metric{a="1",a="2"} 1\n', /not unique/],
    ['extra text', 'metric 1 2 3\n', /unexpected text/],
    ['bad type', '# TYPE m countr\n', /invalid metric type/],
  ])('rejects %s with the line number', (_name, text, message) => {
    expect(() => parseAll(`ok 1\n${text}`)).toThrow(ParseError);
    expect(() => parseAll(`ok 1\n${text}`)).toThrow(message);
    try {
      parseAll(`ok 1\n${text}`);
    } catch (e) {
      expect((e as ParseError).line).toBe(2);
    }
  });
});

describe('OpenMetrics 1.0', () => {
  it('parses seconds timestamps, UNIT, exemplars and # EOF', () => {
    const r = parseAll(
      [
        '# TYPE acme_http_router_request_seconds summary',
        '# UNIT acme_http_router_request_seconds seconds',
        "# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.",
        'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32 1520879607.789',
        'acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0',
        '# TYPE foo histogram',
        'foo_bucket{le="0.01"} 0',
        'foo_bucket{le="0.1"} 8 # {trace_id="KOO5S4vxi0o"} 0.067 1520879607.1',
        'foo_bucket{le="+Inf"} 17 # {} 1',
        '# HELP esc A \\"quoted\\" \\\\ help\\ntext',
        '# EOF',
        '',
      ].join('\n'),
      'openmetrics',
    );
    expect(r.meta[1]).toEqual(['unit', 'acme_http_router_request_seconds', 'seconds']);
    expect(r.meta[4]).toEqual(['help', 'esc', 'A "quoted" \\ help\ntext']);
    expect(r.series[0].t).toBe(1520879607789);
    expect(r.series[1].value).toBe(807283);
    expect(r.series[3]).toMatchObject({ key: 'foo_bucket{le="0.1"}', value: 8 });
    expect(r.series[3].t).toBeUndefined();
    expect(r.series[4].value).toBe(17);
  });

  it.each([
    ['missing EOF', 'a 1\n', /does not end with # EOF/],
    ['data after EOF', 'a 1\n# EOF\nb 2\n', /after # EOF/],
    ['blank line', 'a 1\n\n# EOF\n', /empty line/],
    ['plain comment', '# hello\n# EOF\n', /invalid comment/],
    ['bad exemplar', 'a 1 # x\n# EOF\n', /exemplar/],
    ['NaN timestamp', 'a 1 NaN\n# EOF\n', /invalid timestamp/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseAll(text, 'openmetrics')).toThrow(message);
  });

  it('picks the format from the Content-Type', () => {
    expect(formatForContentType('application/openmetrics-text; version=1.0.0; charset=utf-8')).toBe(
      'openmetrics',
    );
    expect(formatForContentType('text/plain; version=0.0.4')).toBe('text');
    expect(formatForContentType('')).toBe('text');
    expect(formatForContentType(undefined)).toBe('text');
  });
});

describe('the expected-series hint', () => {
  it('skips re-scanning a known series but still reads value, timestamp and labels', () => {
    const p = new ExpositionParser('a{x="1"} 5 1000\nb 6\nc {y="2"} 7\n');
    p.hint = 'a{x="1"}';
    expect(p.next()).toBe(Entry.Series);
    expect([p.hintMatched, p.value, p.timestamp, p.sampleName()]).toEqual([true, 5, 1000, 'a']);
    expect(p.labels()).toEqual([
      { name: '__name__', value: 'a' },
      { name: 'x', value: '1' },
    ]);
    p.hint = 'a{x="1"}';
    expect(p.next()).toBe(Entry.Series);
    expect([p.hintMatched, p.seriesKey, p.value]).toEqual([false, 'b', 6]);
    // `c` followed by a blank is a prefix of `c {y="2"}`: the hint must not match.
    p.hint = 'c';
    expect(p.next()).toBe(Entry.Series);
    expect([p.hintMatched, p.seriesKey]).toEqual([false, 'c {y="2"}']);
  });

  it('still rejects a bad value after a matching hint', () => {
    const p = new ExpositionParser('a{x="1"} zz\n');
    p.hint = 'a{x="1"}';
    expect(() => p.next()).toThrow(/invalid value "zz"/);
  });

  it('parses numbers in place exactly as the general parser does', () => {
    const inputs = [
      '0',
      '-0',
      '12',
      '-4.5',
      '.5',
      '5.',
      '1.5e+06',
      '2E-3',
      '123456789012345',
      '1234567890123456789',
      '0.1',
      '9.999999999999999e22',
      '1e-30',
      '3.14159265358979',
    ];
    const p = new ExpositionParser(inputs.map((v, i) => `m${i} ${v}`).join('\n'));
    for (const v of inputs) {
      p.next();
      expect(Object.is(p.value, Number(v))).toBe(true);
    }
  });
});

describe('garbage', () => {
  it('never throws anything but ParseError and never loops, whatever the input', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = 'ab_:{}=",# \t\n\\01.eE+-InfNaN\u00e9\u0000';
    const valid = 'm{a="1",b="x\\"y"} 1.5 123\n# HELP m h\n# TYPE m gauge\n';
    // Both outcomes must occur, or the fuzzing exercises only one path of the parser.
    let parsed = 0;
    let refused = 0;
    for (let round = 0; round < 3000; round++) {
      let text = '';
      if (round % 2 === 0) {
        // Mutate a valid exposition.
        const chars = [...valid];
        for (let k = 0; k < 3; k++)
          chars[Math.floor(rand() * chars.length)] = alphabet[Math.floor(rand() * alphabet.length)];
        text = chars.join('');
      } else {
        const len = Math.floor(rand() * 80);
        for (let k = 0; k < len; k++) text += alphabet[Math.floor(rand() * alphabet.length)];
      }
      for (const format of ['text', 'openmetrics'] as const) {
        try {
          const p = new ExpositionParser(text, format);
          let guard = 0;
          for (let e = p.next(); e !== Entry.End; e = p.next()) {
            if (e === Entry.Series) p.labels();
            if (++guard > 1000) throw new Error('parser does not advance');
          }
          parsed++;
        } catch (e) {
          if (!(e instanceof ParseError))
            throw new Error(`input ${JSON.stringify(text)} (${format}): ${(e as Error).stack}`);
          refused++;
        }
      }
    }
    expect(parsed).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
