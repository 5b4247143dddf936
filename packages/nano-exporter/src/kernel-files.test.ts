import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tempDir } from '@motley/exporter-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { KernelFiles } from './kernel-files.js';

const openFds = () => readdirSync('/proc/self/fd').length;

describe('KernelFiles', () => {
  const dir = tempDir('nano-kfiles-');
  const files = new KernelFiles();
  afterEach(() => files.close());

  it('re-reads kernel files through the descriptor it keeps open', () => {
    const first = files.round(() => files.text('/proc/self/stat'));
    const before = openFds();
    const second = files.round(() => files.text('/proc/self/stat'));
    expect(openFds()).toBe(before);
    expect(first.split(' ')[0]).toBe(String(process.pid));
    expect(second.split(' ')[0]).toBe(String(process.pid));
  });

  it('reads files larger than its buffer', () => {
    const big = `${'x'.repeat(40_000)}\nend\n`;
    writeFileSync(`${dir.path}/big`, big);
    expect(files.text(`${dir.path}/big`)).toBe(big);
  });

  it('closes what a round did not touch, and reopens a file that was replaced', () => {
    writeFileSync(`${dir.path}/a`, '1\n');
    writeFileSync(`${dir.path}/b`, '2\n');
    const base = openFds();
    files.round(() => [files.number(`${dir.path}/a`), files.number(`${dir.path}/b`)]);
    expect(openFds()).toBe(base + 2);
    files.round(() => files.number(`${dir.path}/a`));
    expect(openFds()).toBe(base + 1);
    rmSync(`${dir.path}/a`);
    expect(files.round(() => files.optional(`${dir.path}/a`))).toBe('1\n'); // a deleted regular file stays readable through the open descriptor (sysfs answers ENODEV, which reopens)
    files.close();
    expect(files.round(() => files.optional(`${dir.path}/a`))).toBeUndefined();
  });

  it('closes an untouched file in a round where another one was replaced', () => {
    writeFileSync(`${dir.path}/c`, '1\n');
    writeFileSync(`${dir.path}/d`, '2\n');
    const base = openFds();
    files.round(() => [files.number(`${dir.path}/c`), files.number(`${dir.path}/d`)]);
    files.round(() => files.number(`${dir.path}/c`));
    files.round(() => files.number(`${dir.path}/c`));
    expect(openFds()).toBe(base + 1);
  });

  it('answers undefined for absent files and attributes the driver refuses', () => {
    expect(files.optional(`${dir.path}/missing`)).toBeUndefined();
    expect(files.attribute(`${dir.path}/missing`)).toBeUndefined();
    expect(() => files.text(`${dir.path}/missing`)).toThrow(/ENOENT/);
    writeFileSync(`${dir.path}/hex`, '0x1003\n');
    expect(files.number(`${dir.path}/hex`)).toBe(4099);
    expect(files.list(`${dir.path}/nope`)).toEqual([]);
  });

  it('lists a directory that appears after it was found absent', () => {
    expect(files.list(`${dir.path}/later`)).toEqual([]);
    expect(files.list(`${dir.path}/later`)).toEqual([]);
    mkdirSync(`${dir.path}/later`);
    writeFileSync(`${dir.path}/later/x`, '1');
    expect(files.list(`${dir.path}/later`)).toEqual(['x']);
  });
});
