import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@motley/exporter-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultFirefoxDirs, discoverProfiles, parseProfileFlag, uniqueLabels } from './profile-discovery.js';

describe('parseProfileFlag', () => {
  it('NAME=DIR and DIR', () => {
    expect(parseProfileFlag('work=/srv/ff/w')).toEqual({ name: 'work', dir: '/srv/ff/w' });
    expect(parseProfileFlag('/srv/ff/abc.default')).toEqual({
      name: 'abc.default',
      dir: '/srv/ff/abc.default',
    });
    expect(parseProfileFlag('/srv/a=b/p')).toEqual({ name: 'p', dir: '/srv/a=b/p' });
  });
});

describe('uniqueLabels', () => {
  it('keeps unique names and qualifies shared ones with the directory', () => {
    const labels = uniqueLabels([
      { name: 'default-release', dir: '/h/.mozilla/firefox/a', isDefault: true },
      { name: 'default-release', dir: '/h/snap/firefox/common/.mozilla/firefox/b', isDefault: true },
      { name: 'work', dir: '/w', isDefault: false },
    ]).map((p) => p.label);
    expect(labels).toEqual([
      'default-release (/h/.mozilla/firefox/a)',
      'default-release (/h/snap/firefox/common/.mozilla/firefox/b)',
      'work',
    ]);
  });
});

describe('discoverProfiles', () => {
  const home = tempDir('tab-home-');
  afterAll(() => home.cleanup());
  const [classic, xdg, snap, flatpak] = defaultFirefoxDirs(home.path);
  const ini = (name: string, path: string) => `[Profile0]\nName=${name}\nIsRelative=1\nPath=${path}\n`;
  mkdirSync(classic, { recursive: true });
  writeFileSync(join(classic, 'profiles.ini'), ini('default-release', 'a.default-release'));
  mkdirSync(snap, { recursive: true });
  writeFileSync(join(snap, 'profiles.ini'), ini('snappy', 'b.default'));
  mkdirSync(flatpak, { recursive: true });
  writeFileSync(join(flatpak, 'profiles.ini'), '[Profile0]\nName=nopath\n');

  it('searches the classic, XDG, snap and flatpak homes; a missing profiles.ini is not a problem', async () => {
    const d = await discoverProfiles({
      dirs: defaultFirefoxDirs(home.path),
      dirsExplicit: false,
      profiles: [],
    });
    expect(d.profiles.map((p) => [p.label, p.dir])).toEqual([
      ['default-release', join(classic, 'a.default-release')],
      ['snappy', join(snap, 'b.default')],
    ]);
    expect(d.found).toEqual([
      join(classic, 'profiles.ini'),
      join(snap, 'profiles.ini'),
      join(flatpak, 'profiles.ini'),
    ]);
    expect(d.problems).toEqual([
      `${join(flatpak, 'profiles.ini')}: profiles.ini [Profile0] has no Path=; skipped`,
    ]);
    expect(d.found).not.toContain(join(xdg, 'profiles.ini'));
  });

  it('a --firefox.dir without profiles.ini is reported', async () => {
    const d = await discoverProfiles({ dirs: [xdg], dirsExplicit: true, profiles: [] });
    expect(d.profiles).toEqual([]);
    expect(d.problems).toEqual([
      `${join(xdg, 'profiles.ini')} does not exist: is --firefox.dir the directory that holds profiles.ini?`,
    ]);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable profiles.ini is reported', async () => {
    const dir = join(home.path, 'locked');
    mkdirSync(dir);
    writeFileSync(join(dir, 'profiles.ini'), ini('x', 'x'));
    chmodSync(join(dir, 'profiles.ini'), 0o000);
    const d = await discoverProfiles({ dirs: [dir], dirsExplicit: true, profiles: [] });
    expect(d.problems[0]).toMatch(/^cannot read .*profiles\.ini: EACCES/);
  });

  it('explicit profiles come first and are not listed twice', async () => {
    const d = await discoverProfiles({
      dirs: [classic],
      dirsExplicit: true,
      profiles: [`mine=${join(classic, 'a.default-release')}`, '/srv/other'],
    });
    expect(d.profiles.map((p) => [p.label, p.dir])).toEqual([
      ['mine', join(classic, 'a.default-release')],
      ['other', '/srv/other'],
    ]);
  });
});
