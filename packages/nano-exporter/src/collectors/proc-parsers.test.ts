import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conntrackFamilies, parseConntrackStat } from './conntrack.js';
import { cpuFamilies, parseCpuTimes } from './cpu.js';
import { parseDiskstats, parseUdevData } from './diskstats.js';
import { parseFileNr } from './filefd.js';
import { parseLoadavg } from './loadavg.js';
import { meminfoFamilies, parseMeminfo } from './meminfo.js';
import { parseNetDev } from './netdev.js';
import { parsePressure } from './pressure.js';
import { parseSchedstat } from './schedstat.js';
import { parseSockstat } from './sockstat.js';
import { parseKernelStat } from './stat.js';
import { DEFAULT_VMSTAT_FIELDS, parseVmstat } from './vmstat.js';

const fixture = (rel: string) =>
  readFileSync(new URL(`../../test/fixtures/proc/${rel}`, import.meta.url), 'utf8');

describe('/proc/stat', () => {
  const text =
    'cpu  100 2 30 400 5 0 6 7 8 9\ncpu0 50 1 15 200 2 0 3 4 5 6\ncpu1 50 1 15 200 3 0 3 3 3 3\nintr 12345 0 1 2\nctxt 999\nbtime 1700000000\nprocesses 77\nprocs_running 3\nprocs_blocked 1\n';
  it('reads per-CPU times in seconds (USER_HZ 100), skipping the total line', () => {
    const cpus = parseCpuTimes(text);
    expect(cpus.map((c) => c.cpu)).toEqual(['0', '1']);
    expect(cpus[0].seconds).toEqual({
      user: 0.5,
      nice: 0.01,
      system: 0.15,
      idle: 2,
      iowait: 0.02,
      irq: 0,
      softirq: 0.03,
      steal: 0.04,
    });
    expect(cpus[1].guest).toBe(0.03);
    const [seconds, guest] = cpuFamilies(cpus);
    expect(seconds.samples).toHaveLength(16);
    expect(guest.samples).toContainEqual({ labels: { cpu: '0', mode: 'nice' }, value: 0.06 });
  });
  it('reads the system-wide counters, intr as its total only', () => {
    expect(parseKernelStat(text)).toEqual({
      bootTime: 1700000000,
      contextSwitches: 999,
      forks: 77,
      interrupts: 12345,
      procsRunning: 3,
      procsBlocked: 1,
    });
  });
  it('names what is missing', () => {
    expect(() => parseKernelStat('cpu0 1 2 3\nctxt 1\n')).toThrow('/proc/stat btime: missing value');
    expect(() => parseCpuTimes('intr 1\n')).toThrow('no cpuN lines');
  });
  it('parses the real fixture', () => {
    expect(parseCpuTimes(fixture('stat')).length).toBeGreaterThan(0);
    expect(parseKernelStat(fixture('stat')).bootTime).toBeGreaterThan(1e9);
  });
});

describe('/proc/meminfo', () => {
  it('turns kB into bytes with a _bytes suffix and keeps counts as they are', () => {
    const mem = parseMeminfo('MemTotal:       16384 kB\nActive(anon):     8 kB\nHugePages_Total:       2\n');
    expect([...mem]).toEqual([
      ['MemTotal_bytes', 16384 * 1024],
      ['Active_anon_bytes', 8192],
      ['HugePages_Total', 2],
    ]);
    expect(meminfoFamilies(mem)[0]).toEqual({
      name: 'node_memory_MemTotal_bytes',
      help: 'Memory information field MemTotal_bytes.',
      type: 'gauge',
      samples: [{ value: 16777216 }],
    });
  });
  it('rejects garbage with the line it choked on', () => {
    expect(() => parseMeminfo('MemTotal: lots kB\n')).toThrow(/bad value in "MemTotal: lots kB"/);
    expect(() => parseMeminfo('garbage\n')).toThrow(/unexpected line "garbage"/);
  });
});

describe('small /proc files', () => {
  it('loadavg', () => {
    expect(parseLoadavg('0.50 1.25 2.00 1/200 1234\n')).toEqual([0.5, 1.25, 2]);
    expect(() => parseLoadavg('0.5\n')).toThrow('expected 3 load averages');
  });
  it('file-nr', () => {
    expect(parseFileNr('1056\t0\t9223372036854775807\n')).toEqual({
      allocated: 1056,
      maximum: Number('9223372036854775807'),
    });
  });
  it('vmstat keeps only the wanted fields', () => {
    const got = parseVmstat(
      'nr_free_pages 5\npgfault 10\npgmajfault 2\noom_kill 1\npswpin 0\n',
      new RegExp(DEFAULT_VMSTAT_FIELDS),
    );
    expect(got).toEqual([
      ['pgfault', 10],
      ['pgmajfault', 2],
      ['oom_kill', 1],
      ['pswpin', 0],
    ]);
  });
  it('pressure totals in seconds', () => {
    expect(
      parsePressure(
        'some avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=250\n',
        'io',
      ),
    ).toEqual({
      some: 1.5,
      full: 0.00025,
    });
    expect(() => parsePressure('weird line\n', '/proc/pressure/io')).toThrow(
      '/proc/pressure/io: unexpected line',
    );
  });
  it('schedstat from the fixture, in nanoseconds', () => {
    expect(parseSchedstat(fixture('schedstat'))).toEqual([
      { cpu: '0', runningNs: 2045936778163039, waitingNs: 343796328169361, timeslices: 4767485306 },
      { cpu: '1', runningNs: 2064516271468811, waitingNs: 329632521442045, timeslices: 4712541209 },
    ]);
  });
});

describe('network and sockets', () => {
  it('takes /proc/net/dev columns from its header', () => {
    const devs = parseNetDev(fixture('net/dev'));
    const eth0 = devs.find((d) => d.device === 'eth0');
    expect(eth0?.stats.has('receive_bytes')).toBe(true);
    expect(eth0?.stats.has('transmit_colls')).toBe(true);
    expect(eth0?.stats.size).toBe(16);
  });
  it('sockstat adds mem_bytes for TCP and UDP pages', () => {
    const v = parseSockstat(
      'sockets: used 17\nTCP: inuse 2 orphan 0 tw 1 alloc 2 mem 3\nFRAG: inuse 0 memory 0\n',
      'sockstat',
    );
    expect(v).toEqual([
      ['sockets_used', 17],
      ['TCP_inuse', 2],
      ['TCP_orphan', 0],
      ['TCP_tw', 1],
      ['TCP_alloc', 2],
      ['TCP_mem', 3],
      ['TCP_mem_bytes', 12288],
      ['FRAG_inuse', 0],
      ['FRAG_memory', 0],
    ]);
  });
  it('sums the per-CPU hex counters of nf_conntrack', () => {
    const stat = parseConntrackStat(
      'entries found invalid drop\n0000000a 00000001 00000010 00000000\n0000000a 00000002 00000001 000000ff\n',
    );
    expect(stat.get('found')).toBe(3);
    expect(stat.get('invalid')).toBe(17);
    expect(stat.get('drop')).toBe(255);
    const names = conntrackFamilies(10, 100, stat).map((f) => f.name);
    expect(names).toEqual([
      'node_nf_conntrack_entries',
      'node_nf_conntrack_entries_limit',
      'node_nf_conntrack_stat_found',
      'node_nf_conntrack_stat_invalid',
      'node_nf_conntrack_stat_drop',
    ]);
  });
});

describe('/proc/diskstats', () => {
  it('reads 17-column lines and keeps the device numbers', () => {
    const disks = parseDiskstats(' 254       0 vda 100 2 800 50 10 1 80 20 0 60 70 5 0 16 3 4 9\n');
    expect(disks).toEqual([
      {
        major: '254',
        minor: '0',
        device: 'vda',
        stats: [100, 2, 800, 50, 10, 1, 80, 20, 0, 60, 70, 5, 0, 16, 3, 4, 9],
      },
    ]);
    expect(() => parseDiskstats('8 0 sda 1 2\n')).toThrow('at least 14 columns');
  });
  it('reads udev properties', () => {
    const p = parseUdevData('S:disk/by-id/x\nE:ID_MODEL=Samsung_SSD\nE:ID_SERIAL_SHORT=S3Z\nG:systemd\n');
    expect(p.get('ID_MODEL')).toBe('Samsung_SSD');
    expect(p.get('ID_SERIAL_SHORT')).toBe('S3Z');
    expect(p.size).toBe(2);
  });
});
