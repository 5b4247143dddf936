import { describe, expect, it } from 'vitest';
import { parseIni, profilesFromIni } from './profiles-ini.js';

const ROOT = '/home/ada/.mozilla/firefox';

describe('parseIni', () => {
  it('reads sections, keys, comments, CRLF and a BOM', () => {
    const ini = parseIni(
      '\uFEFF; comment\r\n[General]\r\nVersion=2\r\n# other\r\n[Profile0]\r\n Name = a=b \r\n',
    );
    expect(ini.get('General')?.get('Version')).toBe('2');
    expect(ini.get('Profile0')?.get('Name')).toBe('a=b');
  });

  it('ignores keys outside a section and lines without a key', () => {
    const ini = parseIni('Stray=1\n[S]\n=novalue\nnoequals\nk=v\n');
    expect([...ini.keys()]).toEqual(['S']);
    expect([...ini.get('S')!.entries()]).toEqual([['k', 'v']]);
  });
});

describe('profilesFromIni', () => {
  it('resolves relative and absolute profiles and the installs default', () => {
    const text = [
      '[Install4F96D1932A9F858E]',
      'Default=abcd1234.default-release',
      'Locked=1',
      '',
      '[Profile1]',
      'Name=default',
      'IsRelative=1',
      'Path=xyz.default',
      'Default=1',
      '',
      '[Profile0]',
      'Name=default-release',
      'IsRelative=1',
      'Path=abcd1234.default-release',
      '',
      '[Profile2]',
      'Name=work',
      'IsRelative=0',
      'Path=/srv/firefox/work',
      '',
      '[General]',
      'StartWithLastProfile=1',
      'Version=2',
    ].join('\n');
    const { profiles, warnings } = profilesFromIni(text, ROOT);
    expect(warnings).toEqual([]);
    expect(profiles).toEqual([
      { name: 'default', dir: `${ROOT}/xyz.default`, isDefault: true },
      { name: 'default-release', dir: `${ROOT}/abcd1234.default-release`, isDefault: true },
      { name: 'work', dir: '/srv/firefox/work', isDefault: false },
    ]);
  });

  it('several installs, one pointing at a profile no [Profile] section lists', () => {
    const text = [
      '[InstallAAAA]',
      'Default=Profiles/one.default',
      '[InstallBBBB]',
      'Default=/opt/ff-nightly/profile',
      '[Profile0]',
      'Name=one',
      'IsRelative=1',
      'Path=Profiles/one.default',
    ].join('\n');
    const { profiles } = profilesFromIni(text, ROOT);
    expect(profiles).toEqual([
      { name: 'one', dir: `${ROOT}/Profiles/one.default`, isDefault: true },
      { name: 'profile', dir: '/opt/ff-nightly/profile', isDefault: true },
    ]);
  });

  it('treats a relative path without IsRelative as relative, and names nameless profiles by directory', () => {
    const { profiles } = profilesFromIni('[Profile0]\nPath=p.default\n', ROOT);
    expect(profiles).toEqual([{ name: 'p.default', dir: `${ROOT}/p.default`, isDefault: false }]);
  });

  it('warns about a profile without Path= and keeps the others', () => {
    const { profiles, warnings } = profilesFromIni(
      '[Profile0]\nName=broken\n[Profile1]\nName=ok\nPath=ok\nIsRelative=1\n',
      ROOT,
    );
    expect(profiles.map((p) => p.name)).toEqual(['ok']);
    expect(warnings).toEqual(['profiles.ini [Profile0] has no Path=; skipped']);
  });

  it('lists one profile once even when two sections name the same directory', () => {
    const { profiles } = profilesFromIni(
      '[Profile0]\nName=a\nPath=x\nIsRelative=1\n[Profile1]\nName=b\nPath=./x\nIsRelative=1\n',
      ROOT,
    );
    expect(profiles).toEqual([{ name: 'a', dir: `${ROOT}/x`, isDefault: false }]);
  });

  it('an empty file has no profiles', () => {
    expect(profilesFromIni('', ROOT)).toEqual({ profiles: [], warnings: [] });
  });
});
