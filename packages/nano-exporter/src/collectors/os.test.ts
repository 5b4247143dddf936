import { describe, expect, it } from 'vitest';
import { osFamilies, parseOsRelease } from './os.js';

describe('os-release', () => {
  const release = parseOsRelease(
    '# comment\nNAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\'Ubuntu 22.04.3 LTS\'\nVERSION="22.04.3 LTS (Jammy \\"Jellyfish\\")"\n',
  );
  it('reads quoted and bare values with escapes', () => {
    expect(release.get('NAME')).toBe('Ubuntu');
    expect(release.get('ID')).toBe('ubuntu');
    expect(release.get('PRETTY_NAME')).toBe('Ubuntu 22.04.3 LTS');
    expect(release.get('VERSION')).toBe('22.04.3 LTS (Jammy "Jellyfish")');
  });
  it("reports node_exporter's info labels and the major.minor version", () => {
    const [info, version] = osFamilies(release);
    expect(info.samples[0].labels).toMatchObject({
      id: 'ubuntu',
      id_like: 'debian',
      name: 'Ubuntu',
      version_id: '22.04',
      variant: '',
    });
    expect(Object.keys(info.samples[0].labels ?? {})).toHaveLength(12);
    expect(version.samples).toEqual([
      { labels: { id: 'ubuntu', id_like: 'debian', name: 'Ubuntu' }, value: 22.04 },
    ]);
    expect(osFamilies(parseOsRelease('ID=arch\n'))).toHaveLength(1);
  });
});
