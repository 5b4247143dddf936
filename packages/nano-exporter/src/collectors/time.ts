import { readFileSync } from 'node:fs';
import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { rootPath, sysPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields } from '../text-fields.js';
import { abbreviationFor, parseTzif, type TzifZone } from '../tzif.js';

export interface Clocksource {
  device: string;
  available: string[];
  current: string;
}

export function readClocksources(files: KernelFiles, dir: string): Clocksource[] {
  const out: Clocksource[] = [];
  for (const entry of files.list(dir).sort()) {
    if (!entry.startsWith('clocksource')) continue;
    const available = files.attribute(`${dir}/${entry}/available_clocksource`);
    const current = files.attribute(`${dir}/${entry}/current_clocksource`);
    if (available === undefined || current === undefined) continue;
    out.push({
      device: entry.slice('clocksource'.length),
      available: fields(available),
      current,
    });
  }
  return out;
}

/** The local zone's TZif file: $TZ (a zoneinfo name or path) or /etc/localtime. */
export function localZoneFile(rootfs: (abs: string) => string, tz = process.env.TZ): string {
  if (tz) {
    const name = tz.startsWith(':') ? tz.slice(1) : tz;
    return name.startsWith('/') ? name : rootfs(`/usr/share/zoneinfo/${name}`);
  }
  return rootfs('/etc/localtime');
}

/** Reads the zone file once, then answers names from memory. */
export class TimeZoneNamer {
  private zone: TzifZone | undefined;
  constructor(file?: string) {
    if (!file) return;
    try {
      this.zone = parseTzif(readFileSync(file));
    } catch {
      // No or unreadable zone file: the time is UTC as far as libc is concerned, and so here.
    }
  }
  nameAt(date: Date): string {
    return abbreviationFor(this.zone, -date.getTimezoneOffset() * 60, Math.floor(date.getTime() / 1000));
  }
}

export function timeFamilies(
  nowMs: number,
  clocksources: Clocksource[],
  zones = new TimeZoneNamer(),
): MetricFamily[] {
  const date = new Date(nowMs);
  const available: Sample[] = [];
  const current: Sample[] = [];
  for (const c of clocksources) {
    for (const name of c.available)
      available.push({ labels: { clocksource: name, device: c.device }, value: 1 });
    current.push({ labels: { clocksource: c.current, device: c.device }, value: 1 });
  }
  return [
    gauge('node_time_seconds', 'System time in seconds since epoch (1970).', [{ value: nowMs / 1000 }]),
    gauge('node_time_zone_offset_seconds', 'System time zone offset in seconds.', [
      { labels: { time_zone: zones.nameAt(date) }, value: -date.getTimezoneOffset() * 60 },
    ]),
    gauge(
      'node_time_clocksource_available_info',
      "Available clocksources read from '/sys/devices/system/clocksource'.",
      available,
    ),
    gauge(
      'node_time_clocksource_current_info',
      "Current clocksource read from '/sys/devices/system/clocksource'.",
      current,
    ),
  ];
}

export const timeCollector: NodeCollectorSpec = {
  name: 'time',
  defaultEnabled: true,
  help: 'system time, time zone offset and clocksources',
  create: ({ paths, clock }) => {
    const dir = sysPath(paths, 'devices/system/clocksource');
    const zones = new TimeZoneNamer(localZoneFile((abs) => rootPath(paths, abs)));
    const files = new KernelFiles();
    return {
      name: 'time',
      collect: () => files.round(() => timeFamilies(clock.now(), readClocksources(files, dir), zones)),
      stop: () => files.close(),
    };
  },
};
