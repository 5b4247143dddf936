import { describe, expect, it } from 'vitest';
import { AllowList } from './allow-list.js';

describe('AllowList', () => {
  it('allows everyone when empty', () => {
    expect(new AllowList([]).allows('203.0.113.9')).toBe(true);
  });

  it('matches IPv4 and IPv6 addresses and CIDR ranges', () => {
    const a = new AllowList(['192.168.1.0/24', '10.0.0.7', 'fd00::/8', '::1']);
    expect(a.allows('192.168.1.200')).toBe(true);
    expect(a.allows('192.168.2.1')).toBe(false);
    expect(a.allows('10.0.0.7')).toBe(true);
    expect(a.allows('10.0.0.8')).toBe(false);
    expect(a.allows('fd12:3456::1')).toBe(true);
    expect(a.allows('fe80::1')).toBe(false);
    expect(a.allows('::1')).toBe(true);
    expect(a.allows(undefined)).toBe(false);
  });

  it('checks IPv4-mapped IPv6 peers (dual-stack sockets) as IPv4', () => {
    const a = new AllowList(['127.0.0.0/8']);
    expect(a.allows('::ffff:127.0.0.1')).toBe(true);
    expect(a.allows('::ffff:192.0.2.1')).toBe(false);
  });

  it('rejects malformed entries with a UsageError', () => {
    expect(() => new AllowList(['192.168.1.0/33'])).toThrow(/invalid prefix/);
    expect(() => new AllowList(['example.org'])).toThrow(/not an IP address/);
    expect(() => new AllowList(['1.2.3.4/8/9'])).toThrow(/not an IP address/);
  });
});
