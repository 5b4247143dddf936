import { describe, expect, it } from 'vitest';
import { fields, lines } from './text-fields.js';

describe('fields', () => {
  it('splits single-spaced lines and padded or tabbed ones alike', () => {
    expect(fields('TcpExt: 0 12 3')).toEqual(['TcpExt:', '0', '12', '3']);
    expect(fields('   8       0 sda 1 2')).toEqual(['8', '0', 'sda', '1', '2']);
    expect(fields('cpu  10 20\t30 \t 40')).toEqual(['cpu', '10', '20', '30', '40']);
    expect(fields(' a b ')).toEqual(['a', 'b']);
    expect(fields('   ')).toEqual([]);
  });

  it('drops empty lines', () => {
    expect(lines('a\n\nb\n')).toEqual(['a', 'b']);
  });
});
