import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { sysPath } from '../host-paths.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { listDir, readAttribute } from '../read-files.js';

export interface Clocksource {
  device: string;
  available: string[];
  current: string;
}

export function readClocksources(dir: string): Clocksource[] {
  const out: Clocksource[] = [];
  for (const entry of listDir(dir).sort()) {
    if (!entry.startsWith('clocksource')) continue;
    const available = readAttribute(`${dir}/${entry}/available_clocksource`);
    const current = readAttribute(`${dir}/${entry}/current_clocksource`);
    if (available === undefined || current === undefined) continue;
    out.push({
      device: entry.slice('clocksource'.length),
      available: available.split(/\s+/).filter(Boolean),
      current,
    });
  }
  return out;
}

/** The abbreviation of the local time zone ("UTC", "EST"), falling back to the offset form. */
export function timeZoneName(date: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

export function timeFamilies(nowMs: number, clocksources: Clocksource[]): MetricFamily[] {
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
      { labels: { time_zone: timeZoneName(date) }, value: -date.getTimezoneOffset() * 60 },
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
    return { name: 'time', collect: () => timeFamilies(clock.now(), readClocksources(dir)) };
  },
};
