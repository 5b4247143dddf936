import { describe, expect, it } from 'vitest';
import { countSession, countSessionBytes, SessionFormatError } from './session-counts.js';

const tab = (extra: Record<string, unknown> = {}) => ({
  entries: [{ url: 'https://example.org/' }],
  ...extra,
});

describe('countSession', () => {
  it('sums open tabs over open windows and counts pinned and hidden tabs', () => {
    const counts = countSession({
      version: ['sessionrestore', 1],
      windows: [
        {
          tabs: [
            tab({ pinned: true, lastAccessed: 1_700_000_000_000 }),
            tab({ lastAccessed: 'soon' }),
            tab({ hidden: true }),
          ],
          _closedTabs: [{}, {}],
        },
        { tabs: [tab({ pinned: true }), tab({ pinned: false })], _closedTabs: [] },
      ],
      _closedWindows: [{ tabs: [tab(), tab(), tab()] }],
      session: { lastUpdate: 1_700_000_123_456 },
    });
    expect(counts).toEqual({
      windows: 2,
      tabs: 5,
      pinnedTabs: 2,
      hiddenTabs: 1,
      recentlyClosedWindows: 1,
      recentlyClosedTabs: 2,
      lastUpdateMs: 1_700_000_123_456,
      tabsLastAccessedMs: [1_700_000_000_000],
    });
  });

  it('closed windows never add to the open counts', () => {
    const open = countSession({ windows: [{ tabs: [tab()] }] });
    const withClosed = countSession({
      windows: [{ tabs: [tab()] }],
      _closedWindows: [{ tabs: [tab(), tab()] }],
    });
    expect(withClosed.tabs).toBe(open.tabs);
    expect(withClosed.windows).toBe(open.windows);
    expect(withClosed.recentlyClosedWindows).toBe(1);
  });

  it('an empty session and a window without tabs', () => {
    expect(countSession({ windows: [] }).tabs).toBe(0);
    expect(countSession({ windows: [{}] })).toMatchObject({ windows: 1, tabs: 0 });
  });

  it.each([
    [null, /no "windows" list/],
    [[], /no "windows" list/],
    [{ windows: 3 }, /no "windows" list/],
    [{ windows: [7] }, /windows\[0\] is not an object/],
    [{ windows: [{ tabs: {} }] }, /windows\[0\]\.tabs is not a list/],
    [{ windows: [], _closedWindows: 'x' }, /"_closedWindows" is not a list/],
  ])('rejects %j', (input, message) => {
    expect(() => countSession(input)).toThrow(message);
    expect(() => countSession(input)).toThrow(SessionFormatError);
  });
});

describe('countSessionBytes', () => {
  it('parses UTF-8 JSON', () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify({ windows: [{ tabs: [tab({ title: 'Grüße ✓' })] }] }),
    );
    expect(countSessionBytes(bytes).tabs).toBe(1);
  });

  it('reports text that is not JSON on one line', () => {
    expect(() => countSessionBytes(new TextEncoder().encode('{"windows": ['))).toThrow(
      /^session is not valid JSON: /,
    );
  });
});
