/**
 * RE2 (Go regexp) syntax on top of JavaScript regexes. Prometheus compiles relabel regexes with
 * Go's regexp package, which refuses look-arounds and backreferences; JavaScript accepts both, so
 * a config that Prometheus rejects would silently behave differently here. This module checks
 * the RE2 grammar's differences and translates the few RE2-only spellings ((?P<name>), a leading
 * (?i), \A, \z, \Q...\E, [[:alpha:]]) into JavaScript.
 */

export class Re2SyntaxError extends Error {
  override name = 'Re2SyntaxError';
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function fail(what: string, token: string): never {
  throw new Re2SyntaxError(`error parsing regexp: ${what}: \`${token}\``);
}

/** Translates an RE2 pattern to JavaScript source plus flags. Throws Re2SyntaxError. */
export function translateRe2(source: string): { source: string; flags: string } {
  let flags = '';
  let i = 0;
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i' || f === 's' || f === 'm') flags += flags.includes(f) ? '' : f;
      else fail('invalid or unsupported Perl syntax', `(?${f}`);
    }
    i = lead[0].length;
  }
  let out = '';
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) fail('trailing backslash at end of expression', '');
      if (n >= '1' && n <= '9') fail('invalid escape sequence', `\\${n}`);
      if (n === 'k' || n === 'c' || n === 'u' || n === 'h' || n === 'R' || n === 'K' || n === 'g')
        fail('invalid escape sequence', `\\${n}`);
      if (n === 'A') {
        out += '^';
        i += 2;
        continue;
      }
      if (n === 'z') {
        out += '$(?![\\s\\S])';
        i += 2;
        continue;
      }
      if (n === 'Z') fail('invalid escape sequence', '\\Z');
      if (n === 'p' || n === 'P') fail('Unicode classes are not supported here', `\\${n}`);
      if (n === 'Q') {
        const endQ = source.indexOf('\\E', i + 2);
        const literal = source.slice(i + 2, endQ < 0 ? source.length : endQ);
        out += literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = endQ < 0 ? source.length : endQ + 2;
        continue;
      }
      out += c + n;
      i += 2;
      continue;
    }
    if (c === '[') {
      const { text, next } = translateClass(source, i);
      out += text;
      i = next;
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2);
      if (rest.startsWith(':')) {
        out += '(?:';
        i += 3;
        continue;
      }
      if (rest.startsWith('P<')) {
        const m = /^P<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
        if (!m) fail('invalid named capture', source.slice(i, i + 6));
        out += `(?<${m[1]}>`;
        i += 2 + m[0].length;
        continue;
      }
      if (rest.startsWith('=') || rest.startsWith('!'))
        fail('invalid or unsupported Perl syntax', `(?${rest[0]}`);
      if (rest.startsWith('<')) fail('invalid or unsupported Perl syntax', '(?<');
      fail('invalid or unsupported Perl syntax', `(?${rest[0] ?? ''}`);
    }
    out += c;
    i++;
  }
  return { source: out, flags };
}

/** Copies a bracket expression starting at `start` (`[`), expanding POSIX classes. */
function translateClass(source: string, start: number): { text: string; next: number } {
  let i = start + 1;
  let text = '[';
  if (source[i] === '^') {
    text += '^';
    i++;
  }
  // A `]` right after `[` or `[^` is a literal in RE2.
  if (source[i] === ']') {
    text += '\\]';
    i++;
  }
  while (i < source.length) {
    const c = source[i];
    if (c === ']') return { text: `${text}]`, next: i + 1 };
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (n >= '1' && n <= '9') fail('invalid escape sequence', `\\${n}`);
      text += c + n;
      i += 2;
      continue;
    }
    if (c === '[' && source[i + 1] === ':') {
      const close = source.indexOf(':]', i + 2);
      if (close > 0) {
        let name = source.slice(i + 2, close);
        const negated = name.startsWith('^');
        if (negated) name = name.slice(1);
        const ranges = POSIX_CLASSES[name];
        if (!ranges) fail('invalid character class range', source.slice(i, close + 2));
        if (negated) fail('negated POSIX classes are not supported here', source.slice(i, close + 2));
        text += ranges;
        i = close + 2;
        continue;
      }
    }
    if (c === '[') {
      text += '\\[';
      i++;
      continue;
    }
    text += c;
    i++;
  }
  fail('missing closing ]', source.slice(start));
}

/**
 * Compiles a Prometheus regex anchored at both ends (`^(?:re)$`), `.` matching newlines.
 * Throws Re2SyntaxError naming the construct RE2 refuses.
 */
export function compileRe2Anchored(source: string): RegExp {
  const t = translateRe2(source);
  const flags = t.flags.includes('s') ? t.flags : `${t.flags}s`;
  try {
    return new RegExp(`^(?:${t.source})$`, flags);
  } catch (e) {
    throw new Re2SyntaxError(
      `error parsing regexp: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
    );
  }
}
