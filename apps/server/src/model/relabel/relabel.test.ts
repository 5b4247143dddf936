import { describe, expect, it } from 'vitest';
import { type Labels, labelsFromRecord, labelsToRecord } from '../labels.js';
import { expandTemplate } from './expand.js';
import { compileRe2Anchored } from './re2.js';
import { compileRelabel, hashmod, type RelabelSpec, relabel } from './relabel.js';

function run(input: Record<string, string>, specs: RelabelSpec[]): Record<string, string> | undefined {
  const out = relabel(labelsFromRecord(input) as Labels, specs.map(compileRelabel));
  return out && labelsToRecord(out);
}

describe('relabel actions', () => {
  const base = { a: 'foo', b: 'bar', c: 'baz' };
  it.each<[string, Record<string, string>, RelabelSpec[], Record<string, string> | undefined]>([
    [
      'replace with groups',
      base,
      [{ source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch${1}-ch${1}' }],
      { ...base, d: 'choo-choo' },
    ],
    [
      'replace joins sources with the separator',
      base,
      [{ source_labels: ['a', 'b'], regex: 'f(.*);(.*)r', target_label: 'a', replacement: 'b${1}${2}m' }],
      { ...base, a: 'boobam' },
    ],
    [
      'replace without match leaves labels',
      base,
      [{ source_labels: ['a'], regex: 'x', target_label: 'd' }],
      base,
    ],
    [
      'replace is anchored',
      base,
      [{ source_labels: ['a'], regex: 'o', target_label: 'd', replacement: 'hit' }],
      base,
    ],
    [
      'replace to empty deletes',
      base,
      [{ source_labels: ['a'], regex: '.*', target_label: 'a', replacement: '' }],
      { b: 'bar', c: 'baz' },
    ],
    [
      'replace with named group and $name',
      base,
      [
        {
          source_labels: ['a'],
          regex: '(?P<first>f)(?P<rest>.*)',
          target_label: 'd',
          replacement: '$rest-$first',
        },
      ],
      { ...base, d: 'oo-f' },
    ],
    [
      '$1x is the group named 1x, empty',
      base,
      [{ source_labels: ['a'], regex: '(f)oo', target_label: 'd', replacement: '$1x' }],
      base,
    ],
    [
      '$$ is a dollar',
      base,
      [{ source_labels: ['a'], target_label: 'd', replacement: '$$1' }],
      { ...base, d: '$1' },
    ],
    [
      'target_label from a group',
      base,
      [{ source_labels: ['a'], regex: '(f)oo', target_label: 'x_${1}', replacement: 'y' }],
      { ...base, x_f: 'y' },
    ],
    [
      'an expanded target that is no label name sets nothing',
      { a: '1x' },
      [{ source_labels: ['a'], regex: '(.*)', target_label: '${1}', replacement: 'y' }],
      { a: '1x' },
    ],
    ['keep match', base, [{ source_labels: ['a'], regex: 'f.*', action: 'keep' }], base],
    ['keep mismatch drops', base, [{ source_labels: ['a'], regex: 'f', action: 'keep' }], undefined],
    ['drop match', base, [{ source_labels: ['a'], regex: 'foo', action: 'drop' }], undefined],
    [
      'drop on missing label matches empty',
      base,
      [{ source_labels: ['zz'], regex: '', action: 'drop' }],
      undefined,
    ],
    [
      'keepequal',
      { a: 'x', b: 'x' },
      [{ source_labels: ['a'], target_label: 'b', action: 'keepequal' }],
      { a: 'x', b: 'x' },
    ],
    [
      'keepequal mismatch',
      { a: 'x', b: 'y' },
      [{ source_labels: ['a'], target_label: 'b', action: 'keepequal' }],
      undefined,
    ],
    [
      'dropequal',
      { a: 'x', b: 'x' },
      [{ source_labels: ['a'], target_label: 'b', action: 'dropequal' }],
      undefined,
    ],
    [
      'hashmod',
      base,
      [{ source_labels: ['c'], target_label: 'd', modulus: 1000, action: 'hashmod' }],
      { ...base, d: '976' },
    ],
    [
      'labelmap',
      { __meta_x: 'one', __meta_y: 'two', z: 'z' },
      [{ regex: '__meta_(.*)', action: 'labelmap' }],
      { __meta_x: 'one', __meta_y: 'two', x: 'one', y: 'two', z: 'z' },
    ],
    ['labeldrop', base, [{ regex: '[ab]', action: 'labeldrop' }], { c: 'baz' }],
    ['labelkeep', base, [{ regex: '[ab]', action: 'labelkeep' }], { a: 'foo', b: 'bar' }],
    [
      'lowercase',
      { a: 'FoO' },
      [{ source_labels: ['a'], target_label: 'l', action: 'lowercase' }],
      { a: 'FoO', l: 'foo' },
    ],
    [
      'uppercase',
      { a: 'FoO' },
      [{ source_labels: ['a'], target_label: 'u', action: 'uppercase' }],
      { a: 'FoO', u: 'FOO' },
    ],
    [
      'dot matches newline',
      { a: 'x\ny' },
      [{ source_labels: ['a'], regex: 'x.y', action: 'keep' }],
      { a: 'x\ny' },
    ],
    ['leading (?i) flag', base, [{ source_labels: ['a'], regex: '(?i)FOO', action: 'keep' }], base],
    ['POSIX class', base, [{ source_labels: ['a'], regex: '[[:lower:]]+', action: 'keep' }], base],
    [
      'rules apply in order',
      base,
      [
        { source_labels: ['a'], target_label: 'b' },
        { source_labels: ['b'], regex: 'foo', action: 'drop' },
      ],
      undefined,
    ],
  ])('%s', (_name, input, specs, expected) => {
    expect(run(input, specs)).toEqual(expected);
  });

  it('hashmod uses the last 8 bytes of md5 as a big-endian uint64', () => {
    expect(hashmod('baz', 1000)).toBe(976n);
    expect(hashmod('', 2 ** 32)).toBe(0xecf8427en);
  });
});

describe('relabel config validation', () => {
  it.each<[string, RelabelSpec, RegExp]>([
    ['unknown action', { action: 'foo' }, /unknown relabel action "foo"/],
    [
      'hashmod without modulus',
      { action: 'hashmod', target_label: 'x', source_labels: ['a'] },
      /requires non-zero modulus/,
    ],
    ['replace without target', { source_labels: ['a'] }, /requires 'target_label'/],
    ['invalid target', { source_labels: ['a'], target_label: '1a' }, /invalid 'target_label'/],
    [
      'lowercase with replacement',
      { action: 'lowercase', source_labels: ['a'], target_label: 'x', replacement: 'y' },
      /'replacement' can not be set/,
    ],
    [
      'labeldrop with source',
      { action: 'labeldrop', source_labels: ['a'], regex: 'x' },
      /requires only 'regex'/,
    ],
    [
      'keepequal with regex',
      { action: 'keepequal', source_labels: ['a'], target_label: 'b', regex: 'x' },
      /requires only 'source_labels'/,
    ],
    ['invalid source label', { source_labels: ['a-b'], target_label: 'x' }, /not a valid label name/],
    [
      'look-ahead',
      { regex: 'foo(?=bar)', action: 'keep', source_labels: ['a'] },
      /invalid or unsupported Perl syntax: `\(\?=`/,
    ],
    [
      'negative look-behind',
      { regex: '(?<!x)y', action: 'keep', source_labels: ['a'] },
      /invalid or unsupported Perl syntax: `\(\?<`/,
    ],
    [
      'backreference',
      { regex: '(a)\\1', action: 'keep', source_labels: ['a'] },
      /invalid escape sequence: `\\1`/,
    ],
    ['broken regex', { regex: '(a', action: 'keep', source_labels: ['a'] }, /invalid regex "\(a"/],
  ])('rejects %s', (_name, spec, message) => {
    expect(() => compileRelabel(spec)).toThrow(message);
  });
});

describe('RE2 translation', () => {
  it('anchors and translates RE2-only syntax', () => {
    expect(compileRe2Anchored('a|b').test('ab')).toBe(false);
    expect(compileRe2Anchored('a|b').test('b')).toBe(true);
    expect(compileRe2Anchored('\\Qa.b\\E').test('a.b')).toBe(true);
    expect(compileRe2Anchored('\\Qa.b\\E').test('axb')).toBe(false);
    expect(compileRe2Anchored('[^[:digit:]]+').test('abc')).toBe(true);
    expect(compileRe2Anchored('[]a]+').test(']a]')).toBe(true);
  });

  it('expands Go templates', () => {
    const m = /(?<x>a)(b)/.exec('ab') as RegExpExecArray;
    expect(expandTemplate('$1-${2}-$x-${x}-$9-$-${', m)).toBe('a-b-a-a--$-${');
  });
});
