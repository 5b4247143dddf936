import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMozLz4 } from './mozlz4.js';
import { countSession, countSessionBytes, SessionFormatError } from './session-counts.js';
import { scanSessionCounts } from './session-scan.js';

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

/** Random sessions with the awkward parts: escapes, nesting, non-boolean flags, nulls, odd spacing. */
function randomSession(seed: number): unknown {
  let x = seed;
  const rnd = () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return (x >>> 8) / 0x1000000;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const str = () =>
    pick(['plain', 'quote \\" inside', 'back\\\\slash\\\\', 'ünï ✓ 🦊', '{"not":["json"]}', '', 'tabs']);
  const junk = (depth: number): unknown => {
    if (depth > 3) return pick([1, -2.5e3, true, false, null, str()]);
    return pick([
      () => Array.from({ length: Math.floor(rnd() * 4) }, () => junk(depth + 1)),
      () => ({ tabs: junk(depth + 1), pinned: true, windows: [], [str()]: junk(depth + 1) }),
      () => str(),
      () => 0.5,
    ])();
  };
  const tab = () =>
    pick([
      () => ({
        lastAccessed: pick([1_700_000_000_123, 0, -5, 1.5e12, 12.75, '1700000000000', null, 2 ** 60, 1e21]),
        entries: [{ url: `https://x/${str()}`, children: [{ pinned: true, tabs: [1, 2], lastAccessed: 3 }] }],
        pinned: pick([true, false, 'true', 1, null]),
        hidden: pick([true, false, undefined]),
      }),
      () => ({ hidden: true, extData: { pinned: true }, attributes: {} }),
      () => junk(2),
    ])();
  const window = () => ({
    [pick(['selected', 'title'])]: junk(1),
    tabs: pick([() => Array.from({ length: Math.floor(rnd() * 8) }, tab), () => null, () => undefined])(),
    _closedTabs: pick([
      () => Array.from({ length: Math.floor(rnd() * 3) }, () => ({ state: tab() })),
      () => undefined,
    ])(),
  });
  return {
    version: ['sessionrestore', 1],
    global: junk(0),
    windows: Array.from({ length: Math.floor(rnd() * 4) }, window),
    _closedWindows: pick([() => [window()], () => [], () => undefined, () => null])(),
    session: pick([{ lastUpdate: 1_700_000_000_123 }, { lastUpdate: 'soon' }, {}, 'x']),
  };
}

describe('scanSessionCounts agrees with JSON.parse + countSession', () => {
  it.each(Array.from({ length: 300 }, (_, i) => i + 1))('random session %i', (seed) => {
    const session = randomSession(seed);
    const compact = JSON.stringify(session);
    expect(scanSessionCounts(bytes(compact))).toEqual(countSession(session));
    // Whitespace everywhere JSON allows it.
    expect(scanSessionCounts(bytes(JSON.stringify(session, null, '\t')))).toEqual(countSession(session));
  });

  it('a session written by firefox-esr 153', () => {
    const file = new URL(
      '../test/fixtures/home/.mozilla/firefox/abcd1234.default-release/sessionstore-backups/recovery.jsonlz4',
      import.meta.url,
    );
    const decoded = decodeMozLz4(readFileSync(file));
    expect(scanSessionCounts(decoded)).toEqual(countSessionBytes(decoded));
    expect(scanSessionCounts(decoded).tabs).toBe(1);
  });
});

describe('scanSessionCounts rejects what is not a session', () => {
  const valid = JSON.stringify({
    windows: [{ tabs: [{ pinned: true, t: 'a\\"b' }, {}], _closedTabs: [{}] }],
    _closedWindows: [],
    session: { lastUpdate: 5 },
  });

  it('every truncation of a valid session', () => {
    for (let n = 0; n < valid.length; n++) {
      expect(() => scanSessionCounts(bytes(valid.slice(0, n))), `prefix of ${n}`).toThrow(SessionFormatError);
    }
  });

  it.each([
    ['trailing data', `${valid} {}`, /unexpected data after the session/],
    ['a missing comma', '{"windows":[{} {}]}', /expected "," or "]"/],
    ['a missing colon', '{"windows" []}', /expected ":"/],
    ['a bare word', '{"windows":[], "x": yes}', /expected a value/],
    ['a key that is not a string', '{windows:[]}', /expected a key/],
    ['an unterminated string', '{"windows":[], "x": "abc\\"}', /unterminated string/],
    ['no windows', '{"version":1}', /no "windows" list/],
    ['windows not a list', '{"windows":{}}', /no "windows" list/],
    ['a window that is not an object', '{"windows":[[]]}', /windows\[0\] is not an object/],
    ['tabs that are not a list', '{"windows":[{"tabs":"many"}]}', /windows\[0\]\.tabs is not a list/],
    [
      'closed windows that are not a list',
      '{"windows":[],"_closedWindows":3}',
      /"_closedWindows" is not a list/,
    ],
    ['a top-level list', '[{"windows":[]}]', /no "windows" list/],
    [
      'nesting too deep',
      `{"windows":[],"x":${'['.repeat(2000)}${']'.repeat(2000)}}`,
      /nesting deeper than 1000/,
    ],
  ])('%s', (_label, text, message) => {
    expect(() => scanSessionCounts(bytes(text))).toThrow(message);
  });

  it('names the position of the problem', () => {
    expect(() => scanSessionCounts(bytes('{"windows":[] "x":1}'))).toThrow(
      'session is not valid JSON: expected "," or "}", found byte "\\"" at position 14',
    );
  });
});
