import { describe, expect, it } from 'vitest';
import { formatExpr, prettyExpr } from '../../src/promql/format.js';
import { formatPromDuration, parseNumberLiteral, unquoteString } from '../../src/promql/literals.js';
import { ParseError, parseExpr } from '../../src/promql/parser.js';
import { PROMETHEUS_FORMAT_QUERY, PROMETHEUS_PARSE_ERRORS } from './format-reference.js';

const roundTrip = (q: string) => formatExpr(parseExpr(q));

describe('parser', () => {
  it.each([
    [
      'sum by (a) (rate(foo{a="b",c=~"x"}[5m] offset 1m))',
      'sum by (a) (rate(foo{a="b",c=~"x"}[5m] offset 1m))',
    ],
    ['sum(x) without (a)', 'sum without (a) (x)'],
    ['topk(3, x)[5m:1m]', 'topk(3, x)[5m:1m]'],
    ['x @ 5 offset 1m', 'x @ 5.000 offset 1m'],
    ['x offset -5m', 'x offset -5m'],
    ['rate(x[1h30m] @ start())', 'rate(x[1h30m] @ start())'],
    ['{"metric.with.dots", a="b"}', '{"metric.with.dots",a="b"}'],
    [
      'sum by ("label.with.dots") ({"service.name"="x"})',
      'sum by ("label.with.dots") ({"service.name"="x"})',
    ],
    ["x{a='single', b=`raw\\n`}", 'x{a="single",b="raw\\\\n"}'],
    ['-x ^ 2', '-x ^ 2'],
    ['(1 + 2) * 3', '(1 + 2) * 3'],
    ['count_values("v", x)', 'count_values("v", x)'],
  ])('prints %s as %s', (q, want) => {
    expect(roundTrip(q)).toBe(want);
  });

  it('keeps operator precedence and literal forms', () => {
    expect(parseExpr('1 + 2 * 3')).toMatchObject({
      type: 'binary',
      op: '+',
      rhs: { type: 'binary', op: '*' },
    });
    expect(parseExpr('-2 ^ 2')).toMatchObject({ type: 'unary', op: '-', expr: { type: 'binary', op: '^' } });
    expect(parseExpr('2 ^ 3 ^ 2')).toMatchObject({ op: '^', rhs: { op: '^' } });
    expect(parseNumberLiteral('0x1F')).toBe(31);
    expect(parseNumberLiteral('1h')).toBe(3600);
    expect(parseNumberLiteral('Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseNumberLiteral('-inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseNumberLiteral('1e3')).toBe(1000);
    expect(unquoteString('"a\\x41\\u00e9\\101"')).toBe('aAéA');
    expect(formatPromDuration(90 * 60_000)).toBe('1h30m');
    expect(formatPromDuration(14 * 86_400_000)).toBe('2w');
    expect(formatPromDuration(8 * 86_400_000)).toBe('8d');
  });

  it.each([
    [
      'rate(up)',
      '1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    ],
    ['1 > 2', '1:1: parse error: comparisons between scalars must use BOOL modifier'],
    ['x + "a"', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
    ['topk(x, y)', '1:6: parse error: expected type scalar in aggregation parameter, got instant vector'],
    ['{a=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['x{__name__="y"}', '1:1: parse error: metric name must not be set twice: "x"'],
    ['x @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
    ['x offset 1m offset 2m', '1:1: parse error: offset may not be set multiple times'],
    ['sum(x) + on(a) 1', '1:1: parse error: vector matching only allowed between instant vectors'],
    ['round(x, 1, 2)', '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3'],
    [
      'label_join(x, "a")',
      '1:1: parse error: expected at least 4 argument(s) in call to "label_join", got 2',
    ],
    ['', '1:1: parse error: no expression found in input'],
    ['x + fill(0) y', 'parse error: fill modifiers are not supported'],
    ['x[5m+1m]', '1:3: parse error: unsupported duration "5m+1m": use a literal such as 5m or 1h30m'],
  ])('rejects %j with "%s"', (q, message) => {
    expect(() => parseExpr(q)).toThrow(ParseError);
    expect(() => parseExpr(q)).toThrow(message);
  });

  it.each(PROMETHEUS_PARSE_ERRORS)('rejects %j as Prometheus does', (q, message) => {
    expect(() => parseExpr(q)).toThrow(new ParseError(message));
  });

  it.each(PROMETHEUS_FORMAT_QUERY)('format_query(%j) matches Prometheus', (q, want) => {
    expect(prettyExpr(parseExpr(q))).toBe(want);
  });

  it('pretty-prints long expressions over several lines', () => {
    const q =
      'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle", instance=~"host-.*"}[5m])) / on(instance) group_left count by (instance) (node_cpu_seconds_total{mode="idle"})';
    const pretty = prettyExpr(parseExpr(q));
    expect(pretty.split('\n').length).toBeGreaterThan(2);
    expect(pretty.split('\n').every((l) => l.length <= 100)).toBe(true);
    expect(formatExpr(parseExpr(pretty))).toBe(formatExpr(parseExpr(q)));
  });
});
