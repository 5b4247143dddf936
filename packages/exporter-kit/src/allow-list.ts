import * as net from 'node:net';
import { UsageError } from './errors.js';

/**
 * `--web.allow`: addresses and CIDR ranges (IPv4 and IPv6) that may connect; everyone else gets 403.
 * An empty list allows everyone. IPv4-mapped IPv6 peers (::ffff:a.b.c.d) are checked as IPv4.
 */
export class AllowList {
  // Made only when there are entries: net.BlockList is a lazy getter that loads two more of
  // Node's own modules.
  private list: net.BlockList | undefined;
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) this.add(entry);
  }

  private add(entry: string): void {
    const [addr, prefixText, extra] = entry.split('/');
    const family = net.isIP(addr);
    if (extra !== undefined || family === 0) {
      throw new UsageError(
        `--web.allow: "${entry}" is not an IP address or CIDR range (e.g. 192.168.1.0/24, ::1)`,
      );
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    this.list ??= new net.BlockList();
    if (prefixText === undefined) {
      this.list.addAddress(addr, type);
      return;
    }
    const prefix = Number(prefixText);
    if (!/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) {
      throw new UsageError(`--web.allow: "${entry}" has an invalid prefix length`);
    }
    this.list.addSubnet(addr, prefix, type);
  }

  allows(remoteAddress: string | undefined): boolean {
    if (this.empty || !this.list) return true;
    if (!remoteAddress) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
    if (mapped) return this.list.check(mapped[1], 'ipv4');
    const family = net.isIP(remoteAddress);
    if (family === 0) return false;
    return this.list.check(remoteAddress, family === 4 ? 'ipv4' : 'ipv6');
  }
}
