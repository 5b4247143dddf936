import type { SensorDirectory } from './sensor-directory.js';
import type { LiveSensor } from './sensor-store.js';

/** At most this many sensors are listed on the landing page. */
const MAX_LISTED = 100;

/**
 * The landing page's status: the adapter state (or why there is no data), then one line per
 * sensor heard, so a user can see at a glance which sensors arrive and in which format.
 */
export function statusLines(
  bluetooth: string[],
  sensors: LiveSensor[],
  directory: SensorDirectory,
  now: number,
): string[] {
  const lines = [
    ...bluetooth,
    `${sensors.length} sensor${sensors.length === 1 ? '' : 's'} heard within their expiry`,
  ];
  for (const s of sensors.slice(0, MAX_LISTED)) {
    const name = directory.nameFor(s.mac);
    const t = s.values.temperatureCelsius;
    const ago = Math.max(0, Math.round((now - s.lastSeen) / 1000));
    lines.push(
      `${s.mac}${name ? ` (${name})` : ''}: ${s.formats.join(', ')}${t === undefined ? '' : `, ${t} °C`}, last heard ${ago} s ago`,
    );
  }
  if (sensors.length > MAX_LISTED) lines.push(`... and ${sensors.length - MAX_LISTED} more`);
  return lines;
}
