import { counter, type MetricFamily } from '@motley/exporter-kit';
import { FamilyNames, familyFor } from '../family-names.js';
import { sysPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

export interface RaplZone {
  /** `package`, `core`, `uncore`, `dram`, `psys` */
  name: string;
  /** The number after the dash in `package-1`, else 0. */
  index: string;
  path: string;
  microjoules: number;
}

/** `package-0` -> name `package`, index `0`; `core` -> `core`, `0`. */
export function splitZoneName(raw: string): { name: string; index: string } {
  const dash = raw.lastIndexOf('-');
  if (dash > 0 && /^\d+$/.test(raw.slice(dash + 1)))
    return { name: raw.slice(0, dash), index: raw.slice(dash + 1) };
  return { name: raw, index: '0' };
}

/** The intel-rapl zones of /sys/class/powercap; reading energy_uj needs root since Linux 5.10. */
export function readRaplZones(files: KernelFiles, dir: string): { zones: RaplZone[]; denied: number } {
  const zones: RaplZone[] = [];
  let denied = 0;
  for (const entry of files.list(dir).sort()) {
    if (!entry.startsWith('intel-rapl:')) continue;
    const path = `${dir}/${entry}`;
    const raw = files.attribute(`${path}/name`);
    if (raw === undefined) continue;
    let text: string;
    try {
      text = files.text(`${path}/energy_uj`).trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') denied++;
      continue;
    }
    const microjoules = Number(text);
    if (text === '' || Number.isNaN(microjoules))
      throw new Error(`${path}/energy_uj: not a number: ${JSON.stringify(text)}`);
    zones.push({ ...splitZoneName(raw), path, microjoules });
  }
  return { zones, denied };
}

const raplNames = (name: string) => ({
  name: `node_rapl_${name}_joules_total`,
  help: `Current RAPL ${name} value in joules`,
});

export function raplFamilies(zones: RaplZone[], names = new FamilyNames(raplNames)): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  const make = (zone: string) => {
    const n = names.get(zone);
    return counter(n.name, n.help, []);
  };
  for (const z of zones) {
    familyFor(byName, z.name, make).samples.push({
      labels: { index: z.index, path: z.path },
      value: z.microjoules / 1000000,
    });
  }
  return [...byName.values()];
}

export const raplCollector: NodeCollectorSpec = {
  name: 'rapl',
  defaultEnabled: true,
  help: 'CPU package, core and DRAM energy from /sys/class/powercap/intel-rapl (needs root on Linux 5.10+)',
  create: ({ paths }) => {
    const files = new KernelFiles();
    const names = new FamilyNames(raplNames);
    const dir = sysPath(paths, 'class/powercap');
    let reason: string | undefined;
    return {
      name: 'rapl',
      collect: () =>
        files.round(() => {
          const { zones, denied } = readRaplZones(files, dir);
          reason =
            denied > 0
              ? 'rapl: energy_uj is readable by root only (Linux 5.10+); run as root or grant read access to see energy'
              : zones.length === 0
                ? 'rapl: no RAPL zones in /sys/class/powercap (not an Intel/AMD host, or a VM)'
                : undefined;
          return raplFamilies(zones, names);
        }),
      absentReason: () => reason,
      stop: () => files.close(),
    };
  },
};
