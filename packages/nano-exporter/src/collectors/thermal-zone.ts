import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { sysPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

export interface ThermalZone {
  zone: string;
  type: string;
  millicelsius: number;
}
export interface CoolingDevice {
  name: string;
  type: string;
  cur: number;
  max: number;
}

/** Zones and cooling devices of /sys/class/thermal; a zone whose sensor does not answer is skipped. */
export function readThermal(
  files: KernelFiles,
  dir: string,
): { zones: ThermalZone[]; cooling: CoolingDevice[] } {
  const zones: ThermalZone[] = [];
  const cooling: CoolingDevice[] = [];
  for (const entry of files.list(dir).sort()) {
    if (entry.startsWith('thermal_zone')) {
      const type = files.attribute(`${dir}/${entry}/type`);
      const temp = files.number(`${dir}/${entry}/temp`);
      if (type !== undefined && temp !== undefined)
        zones.push({ zone: entry.slice('thermal_zone'.length), type, millicelsius: temp });
    } else if (entry.startsWith('cooling_device')) {
      const type = files.attribute(`${dir}/${entry}/type`);
      const cur = files.number(`${dir}/${entry}/cur_state`);
      const max = files.number(`${dir}/${entry}/max_state`);
      if (type !== undefined && cur !== undefined && max !== undefined) {
        cooling.push({ name: entry.slice('cooling_device'.length), type, cur, max });
      }
    }
  }
  return { zones, cooling };
}

export function thermalFamilies({
  zones,
  cooling,
}: {
  zones: ThermalZone[];
  cooling: CoolingDevice[];
}): MetricFamily[] {
  const cur: Sample[] = [];
  const max: Sample[] = [];
  for (const c of cooling) {
    const labels = { name: c.name, type: c.type };
    cur.push({ labels, value: c.cur });
    max.push({ labels, value: c.max });
  }
  return [
    gauge(
      'node_thermal_zone_temp',
      'Zone temperature in Celsius',
      zones.map((z) => ({ labels: { type: z.type, zone: z.zone }, value: z.millicelsius / 1000 })),
    ),
    gauge('node_cooling_device_cur_state', 'Current throttle state of the cooling device', cur),
    gauge('node_cooling_device_max_state', 'Maximum throttle state of the cooling device', max),
  ];
}

export const thermalZoneCollector: NodeCollectorSpec = {
  name: 'thermal_zone',
  defaultEnabled: true,
  help: 'thermal zone temperatures and cooling device states from /sys/class/thermal',
  create: ({ paths }) => {
    const files = new KernelFiles();
    const dir = sysPath(paths, 'class/thermal');
    let empty = false;
    return {
      name: 'thermal_zone',
      collect: () =>
        files.round(() => {
          const t = readThermal(files, dir);
          empty = t.zones.length === 0 && t.cooling.length === 0;
          return thermalFamilies(t);
        }),
      absentReason: () =>
        empty
          ? 'thermal_zone: no thermal zones in /sys/class/thermal (usual in virtual machines)'
          : undefined,
      stop: () => files.close(),
    };
  },
};
