import { realpathSync } from 'node:fs';
import type { MetricFamily, Sample } from '@motley/exporter-kit';
import { sysPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

/** A sensor file name: type, number, property (`temp1_input`, `fan2_min`, `in0_label`). */
const SENSOR_FILE = /^([a-z]+)(\d+)_(.+)$/;

export interface HwmonChip {
  /** Stable label: from the device path, else the `name` file, else hwmonN. */
  chip: string;
  /** The `name` file, for node_hwmon_chip_names. */
  chipName?: string;
  /** sensor (`temp1`) -> property (`input`, `max`, `label`) -> raw text */
  sensors: Map<string, Map<string, string>>;
}

/** Lower case, runs of other characters to `_`, trimmed of `_` (node_exporter's cleanMetricName). */
export function cleanName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9:_]/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** node_exporter's chip label: `<bus>_<device>` from the resolved device link, else the `name` file. */
export function chipLabel(hwmonDir: string, chipName: string | undefined, entry: string): string {
  try {
    const device = realpathSync(`${hwmonDir}/device`);
    const parts = device.split('/');
    const name = cleanName(parts[parts.length - 1] ?? '');
    const type = cleanName(parts[parts.length - 2] ?? '');
    if (type && name) return `${type}_${name}`;
    if (name) return name;
  } catch {}
  return cleanName(chipName ?? '') || cleanName(entry);
}

export function readHwmon(files: KernelFiles, classDir: string): HwmonChip[] {
  const chips: HwmonChip[] = [];
  for (const entry of files.list(classDir).sort()) {
    const dir = `${classDir}/${entry}`;
    const sensors = new Map<string, Map<string, string>>();
    // Older drivers keep the sensor files one level down, in device/.
    for (const d of [dir, `${dir}/device`]) {
      if (d !== dir && !files.exists(d)) continue;
      for (const file of files.list(d)) {
        const m = SENSOR_FILE.exec(file);
        if (!m) continue;
        const value = files.attribute(`${d}/${file}`);
        if (value === undefined) continue;
        const sensor = `${m[1]}${m[2]}`;
        let props = sensors.get(sensor);
        if (!props) {
          props = new Map();
          sensors.set(sensor, props);
        }
        props.set(m[3], value);
      }
    }
    const chipName = files.attribute(`${dir}/name`);
    chips.push({ chip: chipLabel(dir, chipName, entry), chipName, sensors });
  }
  return chips;
}

interface Unit {
  suffix: string;
  help: string;
  scale: number;
  type?: 'counter';
}
/** Per sensor type: metric suffix, HELP wording and scale from sysfs units (milli-, micro-). */
const UNITS: Record<string, Unit> = {
  temp: { suffix: '_celsius', help: 'Hardware monitor for temperature', scale: 0.001 },
  in: { suffix: '_volts', help: 'Hardware monitor for voltage', scale: 0.001 },
  curr: { suffix: '_amps', help: 'Hardware monitor for current', scale: 0.001 },
  power: { suffix: '_watt', help: 'Hardware monitor for power usage in watts', scale: 0.000001 },
  energy: {
    suffix: '_joule_total',
    help: 'Hardware monitor for joules used so far',
    scale: 0.000001,
    type: 'counter',
  },
  fan: { suffix: '_rpm', help: 'Hardware monitor for fan revolutions per minute', scale: 1 },
};

export function hwmonFamilies(chips: HwmonChip[]): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const add = (name: string, help: string, type: 'gauge' | 'counter', sample: Sample) => {
    let f = families.get(name);
    if (!f) {
      f = { name, help, type, samples: [] };
      families.set(name, f);
    }
    f.samples.push(sample);
  };
  for (const c of chips) {
    if (c.chipName !== undefined) {
      add('node_hwmon_chip_names', 'Annotation metric for human-readable chip names', 'gauge', {
        labels: { chip: c.chip, chip_name: c.chipName },
        value: 1,
      });
    }
    for (const [sensor, props] of c.sensors) {
      const type = /^[a-z]+/.exec(sensor)?.[0] ?? sensor;
      const label = props.get('label');
      if (label !== undefined) {
        add('node_hwmon_sensor_label', 'Label for given chip and sensor', 'gauge', {
          labels: { chip: c.chip, label, sensor },
          value: 1,
        });
      }
      for (const [prop, text] of props) {
        if (prop === 'label') continue;
        const value = Number(text);
        if (text === '' || Number.isNaN(value)) continue;
        const labels = { chip: c.chip, sensor };
        const base = prop === 'input' ? `node_hwmon_${type}` : `node_hwmon_${type}_${cleanName(prop)}`;
        const unit = UNITS[type];
        if (unit && prop !== 'type') {
          add(base + unit.suffix, `${unit.help} (${prop})`, unit.type ?? 'gauge', {
            labels,
            value: value * unit.scale,
          });
        } else {
          add(base, `Hardware monitor ${type} element ${prop}`, 'gauge', { labels, value });
        }
      }
    }
  }
  return [...families.values()];
}

export const hwmonCollector: NodeCollectorSpec = {
  name: 'hwmon',
  defaultEnabled: true,
  help: 'temperatures, fans, voltages, currents and power from /sys/class/hwmon',
  create: ({ paths }) => {
    const files = new KernelFiles();
    const dir = sysPath(paths, 'class/hwmon');
    let chips = 0;
    return {
      name: 'hwmon',
      collect: () =>
        files.round(() => {
          const found = readHwmon(files, dir);
          chips = found.length;
          return hwmonFamilies(found);
        }),
      absentReason: () =>
        chips === 0 ? 'hwmon: no sensors in /sys/class/hwmon (usual in virtual machines)' : undefined,
      stop: () => files.close(),
    };
  },
};
