import { type FSWatcher, readdirSync, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '@motley/exporter-kit';
import type { FileSdConfig, TargetGroup } from '../config/types.js';
import { parseFileSdContent } from './file-sd-parse.js';

/** A glob in the last path element (`*`, `?`, `[...]`) as an anchored regex. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        const body = pattern
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * file_sd_configs: reads the matching JSON/YAML files, re-reads them when a watched directory
 * changes (writes and atomic renames) and every refresh_interval, and reports the complete list
 * of groups after every change. A file that fails to parse keeps its last good groups.
 */
export class FileDiscovery {
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private lastGood = new Map<string, TargetGroup[]>();
  private lastReported = '';
  private stopped = false;

  constructor(
    private readonly config: FileSdConfig,
    private readonly log: Logger,
    private readonly onUpdate: (groups: TargetGroup[]) => void,
  ) {}

  start(): void {
    const dirs = new Set(this.config.files.map((f) => dirname(f)));
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, () => this.scheduleRefresh());
        w.on('error', (e) => this.log.warn('file_sd: watch failed', { dir, err: e.message }));
        this.watchers.push(w);
      } catch (e) {
        this.log.warn('file_sd: cannot watch directory; relying on refresh_interval', {
          dir,
          err: (e as Error).message,
        });
      }
    }
    this.refresh();
    this.timer = setInterval(() => this.refresh(), this.config.refreshInterval);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    // Editors and `mv` produce bursts of events; read once they settle.
    this.debounce = setTimeout(() => this.refresh(), 50);
  }

  /** Paths currently matching the configured patterns. */
  listFiles(): string[] {
    const out = new Set<string>();
    for (const pattern of this.config.files) {
      const dir = dirname(pattern);
      const re = globToRegExp(basename(pattern));
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) if (re.test(name)) out.add(`${dir}/${name}`);
    }
    return [...out].sort();
  }

  refresh(): void {
    if (this.stopped) return;
    const next = new Map<string, TargetGroup[]>();
    for (const path of this.listFiles()) {
      try {
        next.set(path, parseFileSdContent(readFileSync(path, 'utf8'), path));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue; // removed between listing and reading
        this.log.error('file_sd: cannot use file, keeping its previous targets', {
          err: (e as Error).message,
        });
        const previous = this.lastGood.get(path);
        if (previous) next.set(path, previous);
      }
    }
    this.lastGood = next;
    const groups = [...next.values()].flat();
    const fingerprint = JSON.stringify(groups);
    if (fingerprint === this.lastReported) return;
    this.lastReported = fingerprint;
    this.onUpdate(groups);
  }
}
