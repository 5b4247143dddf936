// Shared by the tests that run a real headless Firefox: prefs, pages, starting and killing it.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { decodeMozLz4 } from '../src/mozlz4.js';

// Prefs for a quiet, fast test profile: save the session every second, no first-run pages, no
// updates or telemetry, and no popup blocker so the page can open tabs from a timer.
export const USER_JS = [
  'user_pref("browser.sessionstore.interval", 1000);',
  'user_pref("browser.startup.page", 0);',
  'user_pref("browser.startup.homepage_override.mstone", "ignore");',
  'user_pref("startup.homepage_welcome_url", "");',
  'user_pref("browser.aboutwelcome.enabled", false);',
  'user_pref("browser.shell.checkDefaultBrowser", false);',
  'user_pref("app.update.enabled", false);',
  'user_pref("app.update.auto", false);',
  'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
  'user_pref("datareporting.healthreport.uploadEnabled", false);',
  'user_pref("toolkit.telemetry.enabled", false);',
  'user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);',
  'user_pref("dom.disable_open_during_load", false);',
  'user_pref("dom.block_multiple_popups", false);',
  'user_pref("dom.popup_maximum", -1);',
  'user_pref("browser.link.open_newwindow.restriction", 2);',
  '',
].join('\n');

/**
 * Pages for Firefox: /page/N; /opener, which polls /command and opens (or closes) the tabs and
 * windows it is told to, so the test decides when the count changes; /closer, which closes its
 * own window when told to.
 */
export function startPages(): Promise<{
  server: Server;
  base: string;
  command: { tabs: number; windows: number; close: number; seq: number };
  /** Every path Firefox asked for. */
  requested: Set<string>;
}> {
  const requested = new Set<string>();
  const command = { tabs: 0, windows: 0, close: 0, seq: 0 };
  // One window.open per tick: Firefox drops some of several opened in one go without a user gesture.
  const opener = `<!doctype html><title>opener</title><script>
let done = 0;
const queue = [];
const openedTabs = [];
setInterval(async () => {
  if (queue.length) {
    const [url, features] = queue.shift();
    if (url === 'close') openedTabs.shift().close();
    else if (features) window.open(url, '_blank', features);
    else openedTabs.push(window.open(url, '_blank'));
    return;
  }
  const c = await (await fetch('/command')).json();
  if (c.seq <= done) return;
  done = c.seq;
  for (let i = 0; i < c.tabs; i++) queue.push(['/page/t' + c.seq + '-' + i, '']);
  for (let i = 0; i < c.windows; i++) queue.push(['/page/w' + c.seq + '-' + i, 'width=320,height=240']);
  for (let i = 0; i < c.close; i++) queue.push(['close', '']);
}, 250);
</script>opener`;
  // Closes its own window once the command's seq is above 0.
  const closer = `<!doctype html><title>closer</title><script>
setInterval(async () => {
  const c = await (await fetch('/command')).json();
  if (c.seq > 0) window.close();
}, 250);
</script>closer`;
  const server = createServer((req, res) => {
    requested.add(req.url ?? '');
    if (req.url === '/command') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(command));
    } else if (req.url === '/closer') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(closer);
    } else if (req.url === '/opener') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(opener);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>${req.url}</title>${req.url}`);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        command,
        requested,
      }),
    ),
  );
}

/** What the session file holds, for failure messages: the URL of every tab per window. */
export function describeSession(profileDir: string): string {
  try {
    const file = join(profileDir, 'sessionstore-backups/recovery.jsonlz4');
    const session = JSON.parse(new TextDecoder().decode(decodeMozLz4(readFileSync(file))));
    const windows = session.windows.map((w: { tabs: { entries: { url: string }[] }[] }) =>
      w.tabs.map((t) => t.entries.at(-1)?.url ?? '(no entries)'),
    );
    return `session file windows: ${JSON.stringify(windows)}`;
  } catch (e) {
    return `session file unreadable: ${(e as Error).message}`;
  }
}

export interface Browser {
  child: ChildProcess;
  output(): string;
  /** SIGKILL to the whole process group (content processes too); resolves when it exited. */
  kill(): Promise<void>;
}

/** Starts Firefox headless in its own process group, so it can be killed by PID, never by name. */
export function startFirefox(
  program: string,
  profileDir: string,
  home: string,
  args: string[] = [],
): Browser {
  const child = spawn(program, ['--headless', '--no-remote', '--profile', profileDir, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home, MOZ_HEADLESS: '1' },
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return {
    child,
    output: () => output,
    kill: async () => {
      if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      await exited;
    },
  };
}
