import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KernelFiles } from '../kernel-files.js';
import { cleanName, hwmonFamilies, readHwmon } from './hwmon.js';
import { mdadmFamilies, parseMdstat } from './mdadm.js';
import { raplFamilies, readRaplZones, splitZoneName } from './rapl.js';
import { readThermal, thermalFamilies } from './thermal-zone.js';
import { parseKstat, parsePoolIo, readZfs, zfsFamilies } from './zfs.js';

const fixtures = new URL('../../test/fixtures/', import.meta.url).pathname;

describe('mdstat', () => {
  const arrays = parseMdstat(readFileSync(`${fixtures}proc/mdstat`, 'utf8'));
  it('reads a healthy mirror, a recovering RAID5 and an inactive array', () => {
    expect(arrays).toEqual([
      {
        device: 'md0',
        state: 'active',
        disksActive: 2,
        disksTotal: 2,
        disksFailed: 0,
        disksSpare: 0,
        blocksTotal: 248640,
        blocksSynced: 248640,
      },
      {
        device: 'md2',
        state: 'recovering',
        disksActive: 2,
        disksTotal: 3,
        disksFailed: 0,
        disksSpare: 0,
        blocksTotal: 1953260544,
        blocksSynced: 266021248,
      },
      {
        device: 'md3',
        state: 'inactive',
        disksActive: 0,
        disksTotal: 0,
        disksFailed: 0,
        disksSpare: 1,
        blocksTotal: 976630488,
        blocksSynced: 976630488,
      },
    ]);
  });
  it('counts failed disks and pending resyncs', () => {
    const [a] = parseMdstat(
      'md1 : active raid1 sdb2[2](F) sda2[0]\n      1000 blocks [2/1] [U_]\n      resync=PENDING\n',
    );
    expect(a).toMatchObject({ state: 'resync', disksFailed: 1, disksActive: 1, blocksSynced: 0 });
  });
  it('has one state sample per known state', () => {
    const state = mdadmFamilies(arrays).find((f) => f.name === 'node_md_state');
    expect(state?.samples.filter((s) => s.value === 1).map((s) => s.labels)).toEqual([
      { device: 'md0', state: 'active' },
      { device: 'md2', state: 'recovering' },
      { device: 'md3', state: 'inactive' },
    ]);
  });
  it('rejects a status line without a block count', () => {
    expect(() => parseMdstat('md0 : active raid1 sda1[0]\n   garbage\n')).toThrow('md0: bad block count');
  });
});

describe('zfs kstats', () => {
  it('parses named kstats and pool io', () => {
    expect(parseKstat('1 1 0x01 2 96 1 2\nname type data\nhits 4 10\nmisses 4 2\n', 'arcstats')).toEqual([
      ['hits', 10],
      ['misses', 2],
    ]);
    expect(parsePoolIo('12 3 0x00\nnread nwritten\n100 200\n', 'io')).toEqual([
      ['nread', 100],
      ['nwritten', 200],
    ]);
    expect(() => parseKstat('nonsense\n', 'arcstats')).toThrow('arcstats: not a kstat file');
  });
  it('names metrics as node_exporter does', () => {
    const z = readZfs(new KernelFiles(), `${fixtures}proc/spl/kstat/zfs`);
    const names = zfsFamilies(z!).map((f) => f.name);
    expect(names).toContain('node_zfs_arc_hits');
    expect(names).toContain('node_zfs_zfetch_hits');
    expect(names).toContain('node_zfs_zil_zil_commit_count');
    expect(names).toContain('node_zfs_zpool_nread');
    const state = zfsFamilies(z!).find((f) => f.name === 'node_zfs_zpool_state');
    expect(state?.samples.find((s) => s.value === 1)?.labels).toEqual({ state: 'online', zpool: 'tank' });
  });
  it('is absent, not failing, without the module', () => {
    expect(readZfs(new KernelFiles(), `${fixtures}proc/no-such-dir`)).toBeUndefined();
  });
});

describe('hwmon', () => {
  it('cleans chip names like node_exporter', () => {
    expect(cleanName('Platform:Coretemp.0')).toBe('platform:coretemp_0');
    expect(cleanName('__nct6775__')).toBe('nct6775');
  });
  it('scales each sensor type to base units', () => {
    const families = hwmonFamilies(readHwmon(new KernelFiles(), `${fixtures}sys/class/hwmon`));
    const value = (name: string, sensor: string) =>
      families.find((f) => f.name === name)?.samples.find((s) => s.labels?.sensor === sensor)?.value;
    expect(value('node_hwmon_temp_celsius', 'temp1')).toBe(45);
    expect(value('node_hwmon_temp_crit_celsius', 'temp1')).toBe(100);
    expect(value('node_hwmon_in_volts', 'in0')).toBeCloseTo(1.032, 9);
    expect(value('node_hwmon_power_average_watt', 'power1')).toBe(12.5);
    expect(value('node_hwmon_curr_amps', 'curr1')).toBe(0.5);
    expect(value('node_hwmon_fan_rpm', 'fan1')).toBe(1200);
    const labels = families.find((f) => f.name === 'node_hwmon_sensor_label')?.samples.map((s) => s.labels);
    expect(labels).toContainEqual({ chip: 'coretemp', label: 'Package id 0', sensor: 'temp1' });
  });
});

describe('thermal', () => {
  it('reads zones (negative too) and cooling devices', () => {
    const [zones, cur, max] = thermalFamilies(readThermal(new KernelFiles(), `${fixtures}sys/class/thermal`));
    expect(zones.samples).toEqual([
      { labels: { type: 'x86_pkg_temp', zone: '0' }, value: 46 },
      { labels: { type: 'acpitz', zone: '1' }, value: -2.5 },
    ]);
    expect(cur.samples).toEqual([{ labels: { name: '0', type: 'Processor' }, value: 0 }]);
    expect(max.samples[0].value).toBe(3);
  });
});

describe('rapl', () => {
  it('splits zone names like node_exporter', () => {
    expect(splitZoneName('package-1')).toEqual({ name: 'package', index: '1' });
    expect(splitZoneName('core')).toEqual({ name: 'core', index: '0' });
  });
  it('reads zones in joules, one family per zone name', () => {
    const { zones, denied } = readRaplZones(new KernelFiles(), `${fixtures}sys/class/powercap`);
    expect(denied).toBe(0);
    const families = raplFamilies(zones);
    expect(families.map((f) => f.name)).toEqual([
      'node_rapl_package_joules_total',
      'node_rapl_core_joules_total',
      'node_rapl_psys_joules_total',
    ]);
    expect(families[0].samples).toEqual([
      { labels: { index: '0', path: `${fixtures}sys/class/powercap/intel-rapl:0` }, value: 123.456789 },
    ]);
  });
});
