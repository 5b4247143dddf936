import { describe, expect, it } from 'vitest';
import { RawKeyIndex } from './raw-key-index.js';

describe('RawKeyIndex', () => {
  it('keeps its own copy of the key bytes, so reusing the source buffer changes nothing', () => {
    const index = new RawKeyIndex<string>();
    const buf = Buffer.from('xx__name__upyy', 'latin1');
    index.set(buf, 2, 12, 42, 'up');
    const original = Buffer.from(buf);
    buf.fill(0); // the next request decoded into the same buffer
    expect(index.get(buf, 2, 12, 42)).toBeUndefined();
    expect(index.get(original, 2, 12, 42)).toBe('up');
    expect(index.get(new Uint8Array(original), 2, 12, 42)).toBe('up');
  });

  it('tells keys with the same hash apart by their bytes', () => {
    const index = new RawKeyIndex<string>();
    const a = Buffer.from('aaaa');
    const b = Buffer.from('bbbb');
    index.set(a, 0, 4, 7, 'a');
    index.set(b, 0, 4, 7, 'b');
    expect(index.get(Buffer.from('bbbb'), 0, 4, 7)).toBe('b');
    expect(index.get(Buffer.from('aaaa'), 0, 4, 7)).toBe('a');
    expect(index.get(Buffer.from('cccc'), 0, 4, 7)).toBeUndefined();
    index.deleteValue('a');
    expect(index.get(Buffer.from('aaaa'), 0, 4, 7)).toBeUndefined();
  });

  it('finds every key when the copies fill several slabs, a key longer than a slab included', () => {
    const index = new RawKeyIndex<number>();
    const key = (i: number) => Buffer.from(`{__name__="m",instance="host-${i}",${'x'.repeat(i % 300)}}`);
    for (let i = 0; i < 2000; i++) index.set(key(i), 0, key(i).length, i % 97, i);
    const huge = Buffer.alloc(100_000, 7);
    index.set(huge, 0, huge.length, 5, -1);
    for (let i = 0; i < 2000; i++) expect(index.get(key(i), 0, key(i).length, i % 97)).toBe(i);
    expect(index.get(Buffer.from(huge), 0, huge.length, 5)).toBe(-1);
    expect(index.get(key(2001), 0, key(2001).length, 2001 % 97)).toBeUndefined();
  });
});
