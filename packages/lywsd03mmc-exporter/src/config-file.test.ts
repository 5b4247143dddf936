import { describe, expect, it } from 'vitest';
import { parseConfigFile, parseKeyfile } from './config-file.js';
import { SensorDirectory } from './sensor-directory.js';

describe('parseConfigFile', () => {
  it('reads names, bindkeys and poll flags and normalises MACs', () => {
    const s = parseConfigFile(
      'sensors:\n  - mac: a4:c1:38:12:34:56\n    name: living-room\n    bindkey: 00112233445566778899AABBCCDDEEFF\n  - mac: A4C138ABCDEF\n    poll: true\n',
      'c.yml',
    );
    expect(s).toEqual([
      {
        mac: 'A4C138123456',
        name: 'living-room',
        bindkey: Buffer.from('00112233445566778899aabbccddeeff', 'hex'),
      },
      { mac: 'A4C138ABCDEF', poll: true },
    ]);
  });

  it('accepts an empty file', () => {
    expect(parseConfigFile('', 'c.yml')).toEqual([]);
    expect(parseConfigFile('sensors:\n', 'c.yml')).toEqual([]);
  });

  it('names file, line and key for mistakes', () => {
    expect(() => parseConfigFile('sensor:\n  - mac: A4C138123456\n', 'c.yml')).toThrow(
      'c.yml:1: unknown key "sensor"',
    );
    expect(() => parseConfigFile('sensors:\n  - mac: A4C138123456\n    nmae: x\n', 'c.yml')).toThrow(
      'c.yml:3: unknown sensor key "nmae"',
    );
    expect(() => parseConfigFile('sensors:\n  - mac: A4C13812345\n', 'c.yml')).toThrow(
      /c.yml:2: mac "A4C13812345" is not a MAC/,
    );
    expect(() => parseConfigFile('sensors:\n  - mac: A4C138123456\n    bindkey: 0011\n', 'c.yml')).toThrow(
      /c.yml:3: bindkey must be 32 hex digits/,
    );
    expect(() => parseConfigFile('sensors:\n  - name: x\n', 'c.yml')).toThrow(
      'c.yml:2: sensor without "mac"',
    );
    expect(() => parseConfigFile('sensors: [\n', 'c.yml')).toThrow(/c.yml:\d+: invalid YAML/);
    expect(() => parseConfigFile('sensors:\n  - mac: A4C138123456\n    poll: yes please\n', 'c.yml')).toThrow(
      /poll must be true or false/,
    );
  });
});

describe('parseKeyfile', () => {
  it('reads the anchor format with comments and blank lines', () => {
    const s = parseKeyfile(
      '# format: MAC KEY\n\nA4C138FFFFFF 00112233445566778899aabbccddeeff\na4:c1:38:00:00:01\t0123456789abcdef0123456789ABCDEF\n',
      'keys',
    );
    expect(s.map((x) => x.mac)).toEqual(['A4C138FFFFFF', 'A4C138000001']);
    expect(s[1].bindkey?.toString('hex')).toBe('0123456789abcdef0123456789abcdef');
  });

  it('rejects malformed lines with file:line', () => {
    expect(() => parseKeyfile('\nA4C138FFFFFF\n', 'keys')).toThrow('keys:2: expected "MAC KEY"');
    expect(() => parseKeyfile('A4C138FFFFFF 0011\n', 'keys')).toThrow(
      /keys:1: bindkey must be 32 hex digits/,
    );
  });
});

describe('SensorDirectory', () => {
  it('matches bindkeys and names whatever the case or colons of the MAC', () => {
    const d = new SensorDirectory();
    for (const s of parseKeyfile('a4c138ffffff 00112233445566778899aabbccddeeff', 'k')) d.merge(s);
    d.merge({ mac: 'A4C138FFFFFF', name: 'hall' });
    expect(d.bindkeyFor('A4:C1:38:FF:FF:FF')?.length).toBe(16);
    expect(d.bindkeyFor('a4c138ffffff')?.length).toBe(16);
    expect(d.nameFor('a4:c1:38:ff:ff:ff')).toBe('hall');
    expect(d.bindkeyFor('A4C138000000')).toBeUndefined();
  });
});
