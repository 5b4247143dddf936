import { UsageError } from './errors.js';

export interface ListenAddress {
  /** undefined means every interface (IPv6 and IPv4 where the OS allows). */
  host: string | undefined;
  port: number;
  /** As the user wrote it, for messages. */
  text: string;
}

/**
 * Parses `HOST:PORT`, `:PORT`, `[IPV6]:PORT`. `[::]:PORT` listens on IPv6 and, where the OS
 * allows dual stack, IPv4 too (Node binds `::` without IPV6_V6ONLY).
 */
export function parseListenAddress(text: string): ListenAddress {
  let host: string;
  let portText: string;
  const bracket = /^\[([^\]]*)\]:(\d+)$/.exec(text);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
    if (!host.includes(':'))
      throw new UsageError(`listen address ${text}: brackets are for IPv6 addresses only`);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw new UsageError(`listen address "${text}": missing port (write HOST:PORT or :PORT)`);
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':'))
      throw new UsageError(`listen address "${text}": put IPv6 addresses in brackets, e.g. [::1]:9100`);
  }
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError(`listen address "${text}": invalid port "${portText}"`);
  }
  return { host: host === '' ? undefined : host, port: Number(portText), text };
}

/** How to write an address and port in a URL. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
