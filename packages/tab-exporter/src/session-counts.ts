/**
 * Counts in a Firefox session (the JSON inside recovery.jsonlz4 / sessionstore.jsonlz4). Pure.
 *
 * What counts: `windows` holds the open windows and each window's `tabs` its open tabs; the sum of
 * `windows[].tabs.length` is what the classic countfftabs prints. `_closedWindows` (top level)
 * and `_closedTabs` (per window) are what "Recently closed" can restore: they are not open, so
 * they are counted separately and never added to the open counts. Private windows are never in
 * the file (Firefox does not store them).
 */
export interface SessionCounts {
  windows: number;
  tabs: number;
  pinnedTabs: number;
  /** Tabs hidden by an extension (still open and using memory). */
  hiddenTabs: number;
  recentlyClosedWindows: number;
  recentlyClosedTabs: number;
  /** `session.lastUpdate`: when Firefox last collected this state, ms since the epoch. */
  lastUpdateMs?: number;
  /** Each open tab's `lastAccessed` (when it was last selected, ms since the epoch), where present. */
  tabsLastAccessedMs: number[];
}

/** `1 tab`, `2 tabs`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export class SessionFormatError extends Error {
  override name = 'SessionFormatError';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arrayOrEmpty(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new SessionFormatError(`not a Firefox session: ${what} is not a list`);
  return v;
}

export function countSession(session: unknown): SessionCounts {
  if (!isObject(session) || !Array.isArray(session.windows)) {
    throw new SessionFormatError('not a Firefox session: no "windows" list at the top level');
  }
  const counts: SessionCounts = {
    windows: 0,
    tabs: 0,
    pinnedTabs: 0,
    hiddenTabs: 0,
    recentlyClosedWindows: arrayOrEmpty(session._closedWindows, '"_closedWindows"').length,
    recentlyClosedTabs: 0,
    tabsLastAccessedMs: [],
  };
  session.windows.forEach((window, w) => {
    if (!isObject(window))
      throw new SessionFormatError(`not a Firefox session: windows[${w}] is not an object`);
    counts.windows++;
    const tabs = arrayOrEmpty(window.tabs, `windows[${w}].tabs`);
    counts.tabs += tabs.length;
    for (const tab of tabs) {
      if (!isObject(tab)) continue;
      if (tab.pinned === true) counts.pinnedTabs++;
      if (tab.hidden === true) counts.hiddenTabs++;
      if (typeof tab.lastAccessed === 'number' && Number.isFinite(tab.lastAccessed)) {
        counts.tabsLastAccessedMs.push(tab.lastAccessed);
      }
    }
    counts.recentlyClosedTabs += arrayOrEmpty(window._closedTabs, `windows[${w}]._closedTabs`).length;
  });
  const lastUpdate = isObject(session.session) ? session.session.lastUpdate : undefined;
  if (typeof lastUpdate === 'number' && Number.isFinite(lastUpdate)) counts.lastUpdateMs = lastUpdate;
  return counts;
}

/**
 * Decoded bytes -> counts through JSON.parse: the plain reference that scanSessionCounts (what
 * the exporter runs) is tested and benchmarked against.
 */
export function countSessionBytes(bytes: Uint8Array): SessionCounts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (e) {
    throw new SessionFormatError(`session is not valid JSON: ${(e as Error).message}`);
  }
  return countSession(parsed);
}
