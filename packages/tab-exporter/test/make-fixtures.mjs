// Writes the hand-made session files under test/fixtures/home (run after building):
//   node packages/tab-exporter/test/make-fixtures.mjs
// abcd1234.default-release/sessionstore-backups/recovery.jsonlz4 is not made here: a headless
// firefox-esr 153 wrote it (one tab on a local page).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeMozLz4 } from '../dist/mozlz4.js';

const home = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/home');
const tab = (url, extra = {}) => ({ entries: [{ url, title: url }], index: 1, ...extra });
const write = (rel, value) =>
  writeFileSync(join(home, rel), encodeMozLz4(new TextEncoder().encode(JSON.stringify(value))));

// When each tab was last selected, relative to the session's lastUpdate (1700000000000).
const DAY = 86_400_000;
const ago = (ms) => ({ lastAccessed: 1_700_000_000_000 - ms });

// Written on a clean quit: two windows, 7 tabs (2 pinned, 1 hidden), closed tabs and a closed
// window; tabs last selected 1 h, 2 d, 10 d, 40 d and 400 d ago (two have no lastAccessed).
write('.mozilla/firefox/work.profile/sessionstore.jsonlz4', {
  version: ['sessionrestore', 1],
  windows: [
    {
      tabs: [
        tab('https://mail.example.org/', { pinned: true, ...ago(3_600_000) }),
        tab('https://chat.example.org/', { pinned: true, ...ago(2 * DAY) }),
        tab('https://example.org/a', ago(10 * DAY)),
        tab('https://example.org/b', { hidden: true, ...ago(40 * DAY) }),
      ],
      _closedTabs: [
        { state: tab('https://example.org/closed1') },
        { state: tab('https://example.org/closed2') },
      ],
      selected: 3,
    },
    {
      tabs: [
        tab('https://example.com/1', ago(400 * DAY)),
        tab('https://example.com/2'),
        tab('https://example.com/3'),
      ],
      _closedTabs: [],
      selected: 1,
    },
  ],
  _closedWindows: [
    { tabs: [tab('https://example.net/gone'), tab('https://example.net/gone2')], _closedTabs: [] },
  ],
  session: { lastUpdate: 1700000000000, startTime: 1699990000000, recentCrashes: 0 },
});

// Same name as the classic profile, in the snap home: 3 tabs.
write('snap/firefox/common/.mozilla/firefox/zz99.default-release/sessionstore-backups/recovery.jsonlz4', {
  version: ['sessionrestore', 1],
  windows: [
    { tabs: [tab('https://snap.example/1'), tab('https://snap.example/2'), tab('https://snap.example/3')] },
  ],
  _closedWindows: [],
});

// A truncated file: the first 40 bytes of a valid one.
const full = encodeMozLz4(
  new TextEncoder().encode(
    JSON.stringify({ windows: [{ tabs: [tab('https://example.org/x')] }], pad: 'p'.repeat(300) }),
  ),
);
writeFileSync(
  join(home, '.mozilla/firefox/broken.profile/sessionstore-backups/recovery.jsonlz4'),
  full.subarray(0, 40),
);
