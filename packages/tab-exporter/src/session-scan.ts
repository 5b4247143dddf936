/**
 * Counts a session straight from its JSON bytes, without building the object graph.
 *
 * JSON.parse of a 10,000-tab session (15 MB) allocates around 100 MB of objects and took about
 * two thirds of a decode; the counts need only a handful of keys near the top. This scanner walks
 * the structure, skips strings with a native byte search, and looks only at `windows[].tabs[]`
 * (`pinned`, `hidden`, `lastAccessed`), `windows[]._closedTabs`, `_closedWindows` and
 * `session.lastUpdate`.
 * Down to the tabs it checks the structure (brackets, commas, colons, literals, one top-level
 * value); below, only that brackets balance. It gives the same counts as `countSession` over
 * `JSON.parse` on any valid JSON (a differential test holds them together).
 * Pure: bytes in, counts out.
 */
import { type SessionCounts, SessionFormatError } from './session-counts.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MAX_DEPTH = 1000;

const key = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const KEY_WINDOWS = key('windows');
const KEY_CLOSED_WINDOWS = key('_closedWindows');
const KEY_SESSION = key('session');
const KEY_LAST_UPDATE = key('lastUpdate');
const KEY_TABS = key('tabs');
const KEY_CLOSED_TABS = key('_closedTabs');
const KEY_PINNED = key('pinned');
const KEY_HIDDEN = key('hidden');
const KEY_LAST_ACCESSED = key('lastAccessed');
const TRUE = key('true');
const FALSE = key('false');
const NULL = key('null');

class Scanner {
  pos = 0;
  private readonly buf: Buffer;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(what: string): never {
    const at =
      this.pos < this.buf.length
        ? `byte ${JSON.stringify(String.fromCharCode(this.buf[this.pos]))}`
        : 'end of data';
    throw new SessionFormatError(`session is not valid JSON: ${what}, found ${at} at position ${this.pos}`);
  }

  ws(): number {
    const b = this.buf;
    let p = this.pos;
    for (;;) {
      const c = b[p];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
    return p < b.length ? b[p] : -1;
  }

  expect(byte: number, what: string): void {
    if (this.ws() !== byte) this.fail(`expected ${what}`);
    this.pos++;
  }

  /** Skips a string starting at the opening quote; returns [start, end) of its raw contents. */
  string(): [number, number] {
    const b = this.buf;
    const start = this.pos + 1;
    let p = start;
    for (;;) {
      const q = b.indexOf(QUOTE, p);
      if (q < 0) {
        this.pos = b.length;
        this.fail('unterminated string');
      }
      let backslashes = 0;
      while (q - 1 - backslashes >= start && b[q - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) {
        this.pos = q + 1;
        return [start, q];
      }
      p = q + 1;
    }
  }

  matches(range: [number, number], expected: Uint8Array): boolean {
    const [start, end] = range;
    if (end - start !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (this.buf[start + i] !== expected[i]) return false;
    return true;
  }

  private literal(word: Uint8Array): void {
    if (!this.matches([this.pos, this.pos + word.length], word)) this.fail('expected a value');
    this.pos += word.length;
  }

  /**
   * Skips any value. Containers are skipped by bracket depth alone (strings jumped over with a
   * native search): the bulk of a session is tab history nobody counts, and a tight loop over it
   * is several times faster than tokenizing it. Their brackets must balance; a truncated or
   * cut-up file still fails.
   */
  value(depth: number): void {
    const c = this.ws();
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) this.skipContainer(depth);
    else if (c === QUOTE) this.string();
    else if (c === 0x74) this.literal(TRUE);
    else if (c === 0x66) this.literal(FALSE);
    else if (c === 0x6e) this.literal(NULL);
    else this.number();
  }

  private skipContainer(depth: number): void {
    const b = this.buf;
    const end = b.length;
    let p = this.pos;
    let level = 0;
    while (p < end) {
      const c = b[p];
      if (c === QUOTE) {
        this.pos = p;
        this.string();
        p = this.pos;
        continue;
      }
      p++;
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (++level + depth > MAX_DEPTH) {
          this.pos = p - 1;
          this.fail(`nesting deeper than ${MAX_DEPTH}`);
        }
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (--level === 0) {
          this.pos = p;
          return;
        }
      }
    }
    this.pos = end;
    this.fail('unbalanced brackets');
  }

  number(): void {
    const b = this.buf;
    const start = this.pos;
    let p = start;
    for (;;) {
      const c = b[p];
      if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) p++;
      else break;
    }
    if (p === start) this.fail('expected a value');
    this.pos = p;
  }

  numberValue(depth: number): number | undefined {
    const c = this.ws();
    const start = this.pos;
    if (c !== 0x2d && !(c >= 0x30 && c <= 0x39)) {
      this.value(depth);
      return undefined;
    }
    this.number();
    // Timestamps are plain integers: add up the digits instead of allocating a string each.
    let n = 0;
    for (let p = start; p < this.pos; p++) {
      const d = this.buf[p] - 0x30;
      if (d < 0 || d > 9 || n > Number.MAX_SAFE_INTEGER / 10) {
        n = Number(this.buf.toString('latin1', start, this.pos));
        if (Number.isNaN(n)) this.fail('malformed number');
        return n;
      }
      n = n * 10 + d;
    }
    return n;
  }

  /** Walks an object at the current position, calling `member` with each key's raw range. */
  object(depth: number, member: (key: [number, number]) => void): void {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.expect(OPEN_OBJECT, '"{"');
    if (this.ws() === CLOSE_OBJECT) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.ws() !== QUOTE) this.fail('expected a key');
      const k = this.string();
      this.expect(COLON, '":"');
      member(k);
      const c = this.ws();
      this.pos++;
      if (c === CLOSE_OBJECT) return;
      if (c !== COMMA) {
        this.pos--;
        this.fail('expected "," or "}"');
      }
    }
  }

  /** Walks an array at the current position, calling `element` once per element; returns the count. */
  array(depth: number, element: (index: number) => void): number {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.expect(OPEN_ARRAY, '"["');
    if (this.ws() === CLOSE_ARRAY) {
      this.pos++;
      return 0;
    }
    for (let n = 0; ; ) {
      element(n++);
      const c = this.ws();
      this.pos++;
      if (c === CLOSE_ARRAY) return n;
      if (c !== COMMA) {
        this.pos--;
        this.fail('expected "," or "]"');
      }
    }
  }

  /** An array's length (or 0 for null); anything else is not a session. */
  listLength(depth: number, what: string): number {
    const c = this.ws();
    if (c === 0x6e) {
      this.literal(NULL);
      return 0;
    }
    if (c !== OPEN_ARRAY) throw new SessionFormatError(`not a Firefox session: ${what} is not a list`);
    return this.array(depth, () => this.value(depth + 1));
  }

  end(): void {
    if (this.ws() !== -1) this.fail('unexpected data after the session');
  }
}

export function scanSessionCounts(bytes: Uint8Array): SessionCounts {
  const s = new Scanner(bytes);
  const counts: SessionCounts = {
    windows: 0,
    tabs: 0,
    pinnedTabs: 0,
    hiddenTabs: 0,
    recentlyClosedWindows: 0,
    recentlyClosedTabs: 0,
    tabsLastAccessedMs: [],
  };
  let sawWindows = false;
  const scanTab = () => {
    if (s.ws() !== OPEN_OBJECT) {
      s.value(4);
      return;
    }
    s.object(4, (k) => {
      if (s.matches(k, KEY_LAST_ACCESSED)) {
        const n = s.numberValue(5);
        if (n !== undefined && Number.isFinite(n)) counts.tabsLastAccessedMs.push(n);
        return;
      }
      const isPinned = s.matches(k, KEY_PINNED);
      if (!isPinned && !s.matches(k, KEY_HIDDEN)) return void s.value(5);
      // Only the literal true counts, as in countSession.
      const isTrue = s.ws() === 0x74;
      s.value(5);
      if (isTrue && isPinned) counts.pinnedTabs++;
      else if (isTrue) counts.hiddenTabs++;
    });
  };
  const scanWindow = (w: number) => {
    if (s.ws() !== OPEN_OBJECT)
      throw new SessionFormatError(`not a Firefox session: windows[${w}] is not an object`);
    counts.windows++;
    s.object(2, (k) => {
      if (s.matches(k, KEY_TABS)) {
        const c = s.ws();
        if (c === OPEN_ARRAY) counts.tabs += s.array(3, scanTab);
        else counts.tabs += s.listLength(3, `windows[${w}].tabs`);
      } else if (s.matches(k, KEY_CLOSED_TABS)) {
        counts.recentlyClosedTabs += s.listLength(3, `windows[${w}]._closedTabs`);
      } else {
        s.value(3);
      }
    });
  };

  if (s.ws() !== OPEN_OBJECT)
    throw new SessionFormatError('not a Firefox session: no "windows" list at the top level');
  s.object(0, (k) => {
    if (s.matches(k, KEY_WINDOWS)) {
      if (s.ws() !== OPEN_ARRAY)
        throw new SessionFormatError('not a Firefox session: no "windows" list at the top level');
      sawWindows = true;
      s.array(1, scanWindow);
    } else if (s.matches(k, KEY_CLOSED_WINDOWS)) {
      counts.recentlyClosedWindows = s.listLength(1, '"_closedWindows"');
    } else if (s.matches(k, KEY_SESSION) && s.ws() === OPEN_OBJECT) {
      s.object(1, (k2) => {
        if (!s.matches(k2, KEY_LAST_UPDATE)) return void s.value(2);
        const n = s.numberValue(2);
        if (n !== undefined && Number.isFinite(n)) counts.lastUpdateMs = n;
      });
    } else {
      s.value(1);
    }
  });
  s.end();
  if (!sawWindows) throw new SessionFormatError('not a Firefox session: no "windows" list at the top level');
  return counts;
}
