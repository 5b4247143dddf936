import { describe, expect, it } from 'vitest';
import { formatHostPort, parseListenAddress } from './listen-address.js';

describe('parseListenAddress', () => {
  it('parses IPv4, IPv6 in brackets, hostnames and bare ports', () => {
    expect(parseListenAddress('127.0.0.1:9100')).toMatchObject({ host: '127.0.0.1', port: 9100 });
    expect(parseListenAddress('[::]:9100')).toMatchObject({ host: '::', port: 9100 });
    expect(parseListenAddress('[fe80::1%eth0]:80')).toMatchObject({ host: 'fe80::1%eth0', port: 80 });
    expect(parseListenAddress(':9100')).toMatchObject({ host: undefined, port: 9100 });
    expect(parseListenAddress('localhost:0')).toMatchObject({ host: 'localhost', port: 0 });
  });

  it('rejects addresses without a port, bad ports and unbracketed IPv6', () => {
    expect(() => parseListenAddress('9100')).toThrow(/missing port/);
    expect(() => parseListenAddress('127.0.0.1:99999')).toThrow(/invalid port/);
    expect(() => parseListenAddress('::1:9100')).toThrow(/brackets/);
    expect(() => parseListenAddress('[127.0.0.1]:9100')).toThrow(/IPv6/);
  });

  it('formats IPv6 hosts with brackets', () => {
    expect(formatHostPort('::1', 9100)).toBe('[::1]:9100');
    expect(formatHostPort('10.0.0.1', 9100)).toBe('10.0.0.1:9100');
  });
});
