/**
 * Where the profiles are: profiles.ini in the usual Firefox homes (classic, XDG, snap, flatpak),
 * or the directories and profiles given on the command line. Re-run on every scrape, so a new
 * profile appears without a restart.
 */
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { profilesFromIni } from './profiles-ini.js';

/** The directories that may hold a profiles.ini, for one home directory. */
export function defaultFirefoxDirs(home: string): string[] {
  return [
    join(home, '.mozilla/firefox'),
    join(home, '.config/mozilla/firefox'),
    join(home, 'snap/firefox/common/.mozilla/firefox'),
    join(home, '.var/app/org.mozilla.firefox/.mozilla/firefox'),
  ];
}

export interface Profile {
  /** The `profile` label: the profile's name, made unique when two profiles share it. */
  label: string;
  name: string;
  dir: string;
  isDefault: boolean;
}

export interface ProfileSearch {
  /** Directories that may hold profiles.ini. */
  dirs: string[];
  /** Whether the dirs were given by the user (a missing profiles.ini is then worth reporting). */
  dirsExplicit: boolean;
  /** `--firefox.profile` values: `DIR` or `NAME=DIR`. */
  profiles: string[];
}

export interface Discovery {
  profiles: Profile[];
  /** One line per problem worth telling the user (unreadable profiles.ini, skipped sections). */
  problems: string[];
  /** profiles.ini files that were read. */
  found: string[];
}

/** `NAME=DIR` or `DIR`; a DIR containing '=' works when given as an absolute path. */
export function parseProfileFlag(value: string): { name: string; dir: string } {
  const eq = value.indexOf('=');
  if (eq > 0 && !value.slice(0, eq).includes('/')) {
    const dir = resolve(value.slice(eq + 1));
    return { name: value.slice(0, eq), dir };
  }
  const dir = resolve(value);
  return { name: basename(dir), dir };
}

/** Gives profiles that share a name distinct labels: `name (dir)`. */
export function uniqueLabels(profiles: Omit<Profile, 'label'>[]): Profile[] {
  const count = new Map<string, number>();
  for (const p of profiles) count.set(p.name, (count.get(p.name) ?? 0) + 1);
  return profiles.map((p) => ({
    ...p,
    label: (count.get(p.name) ?? 0) > 1 ? `${p.name} (${p.dir})` : p.name,
  }));
}

export async function discoverProfiles(search: ProfileSearch): Promise<Discovery> {
  const problems: string[] = [];
  const found: string[] = [];
  const byDir = new Map<string, Omit<Profile, 'label'>>();
  for (const raw of search.profiles) {
    const p = parseProfileFlag(raw);
    if (!byDir.has(p.dir)) byDir.set(p.dir, { ...p, isDefault: false });
  }
  for (const dir of search.dirs) {
    const root = isAbsolute(dir) ? dir : resolve(dir);
    const iniPath = join(root, 'profiles.ini');
    let text: string;
    try {
      text = await readFile(iniPath, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !search.dirsExplicit) continue;
      problems.push(
        code === 'ENOENT'
          ? `${iniPath} does not exist: is --firefox.dir the directory that holds profiles.ini?`
          : `cannot read ${iniPath}: ${(e as Error).message}`,
      );
      continue;
    }
    found.push(iniPath);
    const { profiles, warnings } = profilesFromIni(text, root);
    problems.push(...warnings.map((w) => `${iniPath}: ${w}`));
    for (const p of profiles) if (!byDir.has(p.dir)) byDir.set(p.dir, p);
  }
  return { profiles: uniqueLabels([...byDir.values()]), problems, found };
}
