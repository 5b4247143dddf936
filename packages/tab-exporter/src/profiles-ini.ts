/**
 * Firefox's profiles.ini: `[Profile<N>]` sections (Name=, Path=, IsRelative=, Default=) and, since
 * Firefox 67, `[Install<hash>]` sections whose Default= names the profile one installation opens.
 * Pure: text and the directory holding the file in, profiles out.
 */
import { basename, isAbsolute, join, normalize } from 'node:path';

export type IniSections = Map<string, Map<string, string>>;

/** A lenient INI reader: `[section]`, `key=value`, `;` and `#` comments, CRLF, a leading BOM. */
export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || !current) continue; // a stray line outside any section, or no key: Firefox ignores it too
    current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

export interface ProfileEntry {
  /** The profile's Name= (or its directory's name when it has none). */
  name: string;
  /** Absolute directory of the profile. */
  dir: string;
  /** Marked Default=1, or the default of some installation. */
  isDefault: boolean;
}

export interface ProfilesIni {
  profiles: ProfileEntry[];
  /** Sections that could not be used, one line each (e.g. a profile without Path=). */
  warnings: string[];
}

function resolveProfilePath(rootDir: string, path: string, isRelative: boolean): string {
  return normalize(isRelative || !isAbsolute(path) ? join(rootDir, path) : path);
}

/**
 * Lists the profiles in a profiles.ini found in `rootDir`. An `[Install*] Default=` that points at
 * a directory no `[Profile*]` lists is still a profile (named after its directory).
 */
export function profilesFromIni(text: string, rootDir: string): ProfilesIni {
  const sections = parseIni(text);
  const byDir = new Map<string, ProfileEntry>();
  const warnings: string[] = [];
  for (const [section, keys] of sections) {
    if (!/^Profile\d+$/i.test(section)) continue;
    const path = keys.get('Path');
    if (!path) {
      warnings.push(`profiles.ini [${section}] has no Path=; skipped`);
      continue;
    }
    const dir = resolveProfilePath(rootDir, path, keys.get('IsRelative') === '1');
    const name = keys.get('Name') || basename(dir);
    if (byDir.has(dir)) continue;
    byDir.set(dir, { name, dir, isDefault: keys.get('Default') === '1' });
  }
  for (const [section, keys] of sections) {
    if (!/^Install/i.test(section)) continue;
    const path = keys.get('Default');
    if (!path) continue;
    // Install defaults are written relative to the profiles.ini directory unless absolute.
    const dir = resolveProfilePath(rootDir, path, !isAbsolute(path));
    const known = byDir.get(dir);
    if (known) known.isDefault = true;
    else byDir.set(dir, { name: basename(dir), dir, isDefault: true });
  }
  return { profiles: [...byDir.values()], warnings };
}
