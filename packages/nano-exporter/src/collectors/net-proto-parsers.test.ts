import { describe, expect, it } from 'vitest';
import { FieldFilter } from '../flag-regex.js';
import { arpFamilies, parseArpEntries } from './arp.js';
import { DEFAULT_NETSTAT_FIELDS, netstatFamilies, parseNetstat, Snmp6Reader } from './netstat.js';
import { parseSoftnet } from './softnet.js';
import { parseUdpQueues } from './udp-queues.js';

describe('netstat', () => {
  it('pairs name and value lines per protocol', () => {
    const stats = parseNetstat(
      'Tcp: RtoMin ActiveOpens InSegs\nTcp: 200 5 1234\nUdp: InDatagrams NoPorts\nUdp: 9 1\n',
      'snmp',
    );
    expect([...stats]).toEqual([
      ['Tcp_RtoMin', 200],
      ['Tcp_ActiveOpens', 5],
      ['Tcp_InSegs', 1234],
      ['Udp_InDatagrams', 9],
      ['Udp_NoPorts', 1],
    ]);
    expect(() => parseNetstat('Tcp: A B\nUdp: 1 2\n', 'snmp')).toThrow('snmp: line 1 and 2 do not pair up');
    expect(() => parseNetstat('Tcp: A B\nTcp: 1\n', 'snmp')).toThrow('snmp: no value for Tcp_B');
  });
  it('splits snmp6 names after the protocol and skips unwanted lines', () => {
    const all = new Map<string, number>();
    new Snmp6Reader(() => true).read('Ip6InReceives  \t11\nIcmp6InMsgs 3\nUdpLite6InErrors 0\n', all);
    expect([...all]).toEqual([
      ['Ip6_InReceives', 11],
      ['Icmp6_InMsgs', 3],
      ['UdpLite6_InErrors', 0],
    ]);
    const some = new Map<string, number>();
    const reader = new Snmp6Reader((k) => k.startsWith('Icmp6'));
    reader.read('Ip6InReceives 11\nIcmp6InMsgs 3\n', some);
    reader.read('Ip6InReceives 12\nIcmp6InMsgs 4\n', some);
    expect([...some]).toEqual([['Icmp6_InMsgs', 4]]);
  });
  it("keeps node_exporter's default fields, named and described as it does", () => {
    const stats = new Map([
      ['Tcp_InSegs', 1],
      ['Tcp_RtoMin', 200],
      ['Icmp6_InMsgs', 2],
    ]);
    const families = netstatFamilies(stats, new FieldFilter(new RegExp(DEFAULT_NETSTAT_FIELDS)));
    expect(families).toEqual([
      {
        name: 'node_netstat_Tcp_InSegs',
        help: 'Statistic TcpInSegs.',
        type: 'untyped',
        samples: [{ value: 1 }],
      },
      {
        name: 'node_netstat_Icmp6_InMsgs',
        help: 'Statistic Icmp6InMsgs.',
        type: 'untyped',
        samples: [{ value: 2 }],
      },
    ]);
  });
});

describe('softnet and arp', () => {
  it('reads hex columns per CPU line', () => {
    expect(parseSoftnet('0002ad67 00000000 00000001 0\n000305a9 00000002 00000010 0\n')).toEqual([
      { cpu: '0', processed: 175463, dropped: 0, timeSqueezed: 1 },
      { cpu: '1', processed: 198057, dropped: 2, timeSqueezed: 16 },
    ]);
    expect(() => parseSoftnet('zz\n')).toThrow('malformed line 1');
  });
  it('counts neighbours per interface', () => {
    const text =
      'IP address       HW type     Flags       HW address            Mask     Device\n' +
      '192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0\n' +
      '192.0.2.7        0x1         0x2         02:fc:00:00:00:07     *        eth0\n' +
      '10.0.0.1         0x1         0x2         02:fc:00:00:00:09     *        wg0\n';
    expect(arpFamilies(parseArpEntries(text))[0].samples).toEqual([
      { labels: { device: 'eth0' }, value: 2 },
      { labels: { device: 'wg0' }, value: 1 },
    ]);
  });
});

describe('udp_queues', () => {
  it('sums the hex tx and rx queue sizes of all sockets', () => {
    const text =
      '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when\n' +
      '  421: 00000000:0044 00000000:0000 07 00000010:00000200 00:00000000\n' +
      ' 1337: 0100007F:0035 00000000:0000 07 00000001:00000A00 00:00000000\n';
    expect(parseUdpQueues(text, 'udp')).toEqual({ tx: 17, rx: 3072 });
    expect(() => parseUdpQueues('header\n 1: garbage\n', 'udp')).toThrow(
      'udp: line 2 has no tx_queue:rx_queue column',
    );
  });
});
