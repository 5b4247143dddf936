/**
 * The `session` collector: lists the profiles on every scrape and turns each profile's session
 * file into metrics labelled `profile`. One profile's unreadable file costs only that profile's
 * counts (and sets its read-error gauge); the scrape itself succeeds.
 */
import type { Clock, Collector, Logger, MetricFamily, Sample } from '@motley/exporter-kit';
import { counter, gauge } from '@motley/exporter-kit';
import { type Discovery, discoverProfiles, type Profile, type ProfileSearch } from './profile-discovery.js';
import { profileLockedByLiveFirefox } from './profile-lock.js';
import { plural, type SessionCounts } from './session-counts.js';
import { SessionFileReader, type SessionState } from './session-file.js';

export interface SessionCollectorOptions {
  search: ProfileSearch;
  clock: Clock;
  log: Logger;
  /** A session file younger than this means Firefox is running (a few sessionstore intervals). */
  runningThresholdMs: number;
  maxDecodedBytes: number;
  /** Where procfs is mounted (default /proc), to tell a live Firefox from a stale lock. */
  procfs?: string;
}

interface ProfileReport {
  profile: Profile;
  state: SessionState;
  locked: boolean;
}

type CountKey = Exclude<keyof SessionCounts, 'tabsLastAccessedMs' | 'lastUpdateMs'>;

const COUNT_METRICS: [CountKey, string, string][] = [
  [
    'tabs',
    'firefox_tabs_open',
    'Open tabs in all open windows (the sum of windows[].tabs.length in the session file).',
  ],
  [
    'windows',
    'firefox_windows_open',
    'Open windows (private windows are not stored by Firefox and not counted).',
  ],
  ['pinnedTabs', 'firefox_tabs_pinned', 'Open tabs that are pinned.'],
  ['hiddenTabs', 'firefox_tabs_hidden', 'Open tabs hidden by an extension.'],
  [
    'recentlyClosedTabs',
    'firefox_tabs_recently_closed',
    'Closed tabs of open windows that Firefox can still restore.',
  ],
  [
    'recentlyClosedWindows',
    'firefox_windows_recently_closed',
    'Closed windows that Firefox can still restore.',
  ],
];

const DAY_MS = 86_400_000;

/** `firefox_tabs_idle{longer_than}`: how many open tabs nobody has looked at for a while. */
const IDLE_THRESHOLDS: [string, number][] = [
  ['1d', DAY_MS],
  ['7d', 7 * DAY_MS],
  ['30d', 30 * DAY_MS],
  ['365d', 365 * DAY_MS],
];

function countOlderThan(timestamps: number[], cutoffMs: number): number {
  let n = 0;
  for (const t of timestamps) if (t < cutoffMs) n++;
  return n;
}

export class SessionCollector implements Collector {
  readonly name = 'session';
  private readonly reader: SessionFileReader;
  private last?: { discovery: Discovery; reports: ProfileReport[] };
  private readonly reportedProblems = new Set<string>();

  constructor(private readonly opts: SessionCollectorOptions) {
    this.reader = new SessionFileReader({
      maxDecodedBytes: opts.maxDecodedBytes,
      onError: (dir, message) =>
        opts.log.warn('cannot read session file', { profile_dir: dir, err: message }),
    });
  }

  async collect(): Promise<MetricFamily[]> {
    const discovery = await discoverProfiles(this.opts.search);
    for (const p of discovery.problems) {
      if (!this.reportedProblems.has(p)) this.opts.log.warn('profile discovery', { problem: p });
      this.reportedProblems.add(p);
    }
    this.reader.retain(discovery.profiles.map((p) => p.dir));
    const reports = await Promise.all(
      discovery.profiles.map(async (profile) => ({
        profile,
        state: await this.reader.read(profile.dir),
        locked: await profileLockedByLiveFirefox(profile.dir, this.opts.procfs),
      })),
    );
    this.last = { discovery, reports };
    return this.families(reports);
  }

  private families(reports: ProfileReport[]): MetricFamily[] {
    const nowSeconds = this.opts.clock.now() / 1000;
    const per = (f: (r: ProfileReport) => number | undefined): Sample[] =>
      reports.flatMap((r) => {
        const value = f(r);
        return value === undefined ? [] : [{ labels: { profile: r.profile.label }, value }];
      });
    const ageSeconds = (r: ProfileReport) =>
      r.state.file ? Math.max(0, nowSeconds - r.state.file.mtimeMs / 1000) : undefined;
    const fresh = (r: ProfileReport) => {
      const age = ageSeconds(r);
      return age !== undefined && age * 1000 <= this.opts.runningThresholdMs;
    };
    return [
      gauge(
        'firefox_profile_info',
        'A Firefox profile the exporter watches: its directory and whether it is a default profile.',
        reports.map((r) => ({
          labels: { profile: r.profile.label, path: r.profile.dir, default: String(r.profile.isDefault) },
          value: 1,
        })),
      ),
      ...COUNT_METRICS.map(([key, name, help]) =>
        gauge(
          name,
          help,
          per((r) => r.state.counts?.[key]),
        ),
      ),
      gauge(
        'firefox_tabs_idle',
        "Open tabs not selected for longer than longer_than (from each tab's lastAccessed).",
        reports.flatMap((r) => {
          const times = r.state.counts?.tabsLastAccessedMs;
          if (!times) return [];
          return IDLE_THRESHOLDS.map(([label, ms]) => ({
            labels: { profile: r.profile.label, longer_than: label },
            value: countOlderThan(times, nowSeconds * 1000 - ms),
          }));
        }),
      ),
      gauge(
        'firefox_session_file_mtime_seconds',
        'When Firefox last wrote the session file, seconds since the epoch.',
        per((r) => (r.state.file ? r.state.file.mtimeMs / 1000 : undefined)),
      ),
      gauge(
        'firefox_session_last_update_seconds',
        "When Firefox last collected the session state (the file's session.lastUpdate), seconds since the epoch.",
        per((r) =>
          r.state.counts?.lastUpdateMs === undefined ? undefined : r.state.counts.lastUpdateMs / 1000,
        ),
      ),
      gauge(
        'firefox_session_file_age_seconds',
        'Seconds since Firefox last wrote the session file.',
        per(ageSeconds),
      ),
      gauge(
        'firefox_session_file_size_bytes',
        'Size of the compressed session file.',
        per((r) => r.state.file?.size),
      ),
      gauge(
        'firefox_profile_locked',
        'Whether a running Firefox process holds the profile lock (the lock symlink points at a live Firefox PID).',
        per((r) => (r.locked ? 1 : 0)),
      ),
      gauge(
        'firefox_running',
        'Whether Firefox appears to be running on this profile: the profile is locked by a live Firefox or the session file is fresher than --firefox.running-threshold.',
        per((r) => (r.locked || fresh(r) ? 1 : 0)),
      ),
      gauge(
        'firefox_session_read_error',
        'Whether the current session file could not be read or decoded (1); its counts are then absent.',
        per((r) => (r.state.error ? 1 : 0)),
      ),
      counter(
        'firefox_session_decodes_total',
        'Times the session file was read and decoded (only when its mtime, size or inode changed).',
        per((r) => r.state.decodes),
      ),
    ];
  }

  /** Logs what the last collection found: called once at startup. */
  logSummary(): void {
    if (!this.last) return;
    const { reports } = this.last;
    if (reports.length === 0) {
      this.opts.log.warn(
        'no Firefox profiles found; pass --firefox.dir or --firefox.profile if they live elsewhere',
        {
          searched: this.opts.search.dirs.join(','),
        },
      );
    }
    for (const r of reports) {
      this.opts.log.info('watching profile', {
        profile: r.profile.label,
        dir: r.profile.dir,
        tabs: r.state.counts?.tabs,
        windows: r.state.counts?.windows,
        session_file: r.state.file?.path ?? 'none yet',
      });
    }
  }

  /** Landing-page lines: what is watched, and why there may be no data. */
  status(): string[] {
    if (!this.last)
      return ['No scrape yet: profiles are discovered on the first scrape of the metrics page.'];
    const { discovery, reports } = this.last;
    const lines: string[] = [];
    if (reports.length === 0) {
      const where = this.opts.search.dirs.join(', ') || '(no directories)';
      lines.push(
        `No Firefox profiles found. Searched for profiles.ini in: ${where}. Start Firefox once, or pass --firefox.dir=DIR (the directory holding profiles.ini) or --firefox.profile=DIR.`,
      );
    }
    for (const r of reports) {
      const s = r.state;
      const what = s.error
        ? `error: ${s.error}`
        : s.counts
          ? `${plural(s.counts.tabs, 'tab')} in ${plural(s.counts.windows, 'window')} (${s.file?.path})`
          : 'no session file yet (sessionstore-backups/recovery.jsonlz4 appears once Firefox runs with this profile)';
      lines.push(`Profile "${r.profile.label}" at ${r.profile.dir}: ${what}`);
    }
    lines.push(...discovery.problems);
    return lines;
  }
}
