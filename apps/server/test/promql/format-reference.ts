/**
 * format_query answers of the Debian prometheus 2.42 for the inputs on the left, recorded with
 * `curl --data-urlencode query=... /api/v1/format_query`.
 */
export const PROMETHEUS_FORMAT_QUERY: [string, string][] = [
  ['sum by(a)(rate(foo{c=~"x",a="b"}[5m] offset 1m))', 'sum by (a) (rate(foo{a="b",c=~"x"}[5m] offset 1m))'],
  ['a + ignoring(b) group_right(c) d', 'a + ignoring (b) group_right (c) d'],
  ['a > bool on(x) b', 'a > bool on (x) b'],
  ['x @ 5 offset 1m', 'x @ 5.000 offset 1m'],
  ['topk(3,x)[5m:1m]', 'topk(3, x)[5m:1m]'],
  ['-x^2', '-x ^ 2'],
  ['a and on() b', 'a and on () b'],
  ['count_values("v",x)', 'count_values("v", x)'],
  ['{__name__="up",job="x"}', '{__name__="up",job="x"}'],
  ['x offset -5m', 'x offset -5m'],
  ['x[1h30m:]', 'x[1h30m:]'],
  ['1e21 + 0.0000001 + 1.5', '1e+21 + 1e-07 + 1.5'],
  ['0.00001 + 123456789012 + 1e-4', '1e-05 + 1.23456789012e+11 + 0.0001'],
  ['sum without(a)(x)', 'sum without (a) (x)'],
  ['avg(x) by (a,b)', 'avg by (a, b) (x)'],
  [
    'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle", instance=~"host-.*"}[5m])) / on(instance) group_left count by (instance) (node_cpu_seconds_total{mode="idle"})',
    '  sum by (instance) (rate(node_cpu_seconds_total{instance=~"host-.*",mode!="idle"}[5m]))\n/ on (instance) group_left ()\n  count by (instance) (node_cpu_seconds_total{mode="idle"})',
  ],
  [
    'topk(5, sum by (instance, job, mode, cpu) (rate(node_cpu_seconds_total{mode!="idle", instance=~"host-.*", job="node"}[5m])))',
    'topk(\n  5,\n  sum by (instance, job, mode, cpu) (\n    rate(node_cpu_seconds_total{instance=~"host-.*",job="node",mode!="idle"}[5m])\n  )\n)',
  ],
  [
    'histogram_quantile(0.9, sum by (le, handler, instance, job) (rate(http_request_duration_seconds_bucket{handler=~"/api.*"}[5m])))',
    'histogram_quantile(\n  0.9,\n  sum by (le, handler, instance, job) (\n    rate(http_request_duration_seconds_bucket{handler=~"/api.*"}[5m])\n  )\n)',
  ],
  [
    '(sum by (instance, job, mode, cpu) (rate(node_cpu_seconds_total{mode!="idle", instance=~"host-.*", job="node"}[5m])))',
    '(\n  sum by (instance, job, mode, cpu) (\n    rate(node_cpu_seconds_total{instance=~"host-.*",job="node",mode!="idle"}[5m])\n  )\n)',
  ],
  [
    'label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")',
    'label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")',
  ],
];

/** Parse errors of the Debian prometheus 2.42 for malformed queries (recorded from /api/v1/query). */
export const PROMETHEUS_PARSE_ERRORS: [string, string][] = [
  ['sum(', '1:5: parse error: unclosed left parenthesis'],
  ['rate(x[5m]', '1:11: parse error: unclosed left parenthesis'],
  ['x{a="b"', '1:8: parse error: unexpected end of input inside braces'],
  ['x{a=}', '1:5: parse error: unexpected "}" in label matching, expected string'],
  ['x{a~"b"}', "1:4: parse error: unexpected character inside braces: '~'"],
  ['foo(1)', '1:1: parse error: unknown function with name "foo"'],
  ['rate(x)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
  ['sum by (a (x)', '1:11: parse error: unexpected "(" in grouping opts, expected "," or ")"'],
  ['x +', '1:4: parse error: unexpected end of input'],
  ['x[5m', '1:5: parse error: unclosed left bracket'],
  ['1 +* 2', '1:4: parse error: unexpected <op:*>'],
  ['x offset', '1:9: parse error: unexpected end of input in offset, expected duration'],
  ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['x{a="b"} y', '1:10: parse error: unexpected identifier "y"'],
  [
    'sum(x, y)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2',
  ],
  [
    'topk(x)',
    '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1',
  ],
  ['"unterminated', '1:1: parse error: unterminated quoted string'],
];
