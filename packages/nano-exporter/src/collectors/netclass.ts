import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { compileFlagRegex } from '../flag-regex.js';
import { sysPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

/** Numeric sysfs attribute -> node_exporter's property name (`node_network_<name>`) and type. */
const PROPERTY_TYPES: [file: string, name: string, type: 'gauge' | 'counter'][] = [
  ['addr_assign_type', 'address_assign_type', 'gauge'],
  ['carrier', 'carrier', 'gauge'],
  ['carrier_changes', 'carrier_changes_total', 'counter'],
  ['carrier_up_count', 'carrier_up_changes_total', 'counter'],
  ['carrier_down_count', 'carrier_down_changes_total', 'counter'],
  ['dev_id', 'device_id', 'gauge'],
  ['dormant', 'dormant', 'gauge'],
  ['flags', 'flags', 'gauge'],
  ['ifindex', 'iface_id', 'gauge'],
  ['iflink', 'iface_link', 'gauge'],
  ['link_mode', 'iface_link_mode', 'gauge'],
  ['mtu', 'mtu_bytes', 'gauge'],
  ['name_assign_type', 'name_assign_type', 'gauge'],
  ['netdev_group', 'net_dev_group', 'gauge'],
  ['speed', 'speed_bytes', 'gauge'],
  ['tx_queue_len', 'transmit_queue_length', 'gauge'],
  ['type', 'protocol_type', 'gauge'],
];
/** With the metric name and HELP made once. */
const PROPERTIES = PROPERTY_TYPES.map(
  ([file, name, type]) =>
    [file, name, type, `node_network_${name}`, `Network device property: ${name}`] as const,
);
const INFO_FILES = ['address', 'broadcast', 'duplex', 'ifalias', 'operstate'] as const;
const IFF_UP = 1;
const NEEDS_RUNNING = new Set(['carrier', 'dormant', 'speed', 'duplex']);
/**
 * Fixed for the life of an interface (its driver sets them when it registers it, and a rename
 * gives it another directory): read once per interface index, not on every scrape.
 */
const FIXED = new Set(['dev_id', 'name_assign_type']);
/** ifindex and flags are read first for every interface; the loop does not read them again. */
const ATTRIBUTE_FILES = [...PROPERTIES.map((p) => p[0]), ...INFO_FILES].filter(
  (f) => f !== 'ifindex' && f !== 'flags',
);

export interface NetClassDevice {
  device: string;
  /** Raw attribute text by file name; absent or unreadable attributes are missing. */
  attributes: Map<string, string>;
}

/**
 * What to read for one interface: the attribute files its driver offers, with their paths. It
 * does not change while the interface exists, so it is worked out once per interface index
 * (one directory listing instead of a failed open, and a thrown error, per absent file).
 */
interface Layout {
  ifindexPath: string;
  ifindex: string | undefined;
  flagsPath: string | undefined;
  /** Attribute files (and their paths) read for every interface, and only for a running one. */
  always: { files: string[]; paths: string[] };
  /** FIXED attributes as read when the layout was made. */
  fixed: [file: string, value: string][];
  /**
   * Whether carrier_changes is worked out rather than read: the kernel prints it as the sum of
   * carrier_up_count and carrier_down_count (Linux 4.16 and later, where those two exist).
   */
  sumCarrierChanges: boolean;
  whenRunning: { files: string[]; paths: string[] };
}
export type AttributeLayouts = Map<string, Layout>;

function layoutFor(
  files: KernelFiles,
  dir: string,
  ifindexPath: string,
  ifindex: string | undefined,
): Layout {
  const present = new Set(files.list(dir));
  const always: Layout['always'] = { files: [], paths: [] };
  const whenRunning: Layout['whenRunning'] = { files: [], paths: [] };
  const fixed: Layout['fixed'] = [];
  const sumCarrierChanges =
    present.has('carrier_changes') && present.has('carrier_up_count') && present.has('carrier_down_count');
  for (let i = 0; i < ATTRIBUTE_FILES.length; i++) {
    const file = ATTRIBUTE_FILES[i];
    if (!present.has(file) || (sumCarrierChanges && file === 'carrier_changes')) continue;
    if (FIXED.has(file)) {
      const value = files.attribute(`${dir}/${file}`);
      if (value !== undefined) fixed.push([file, value]);
      continue;
    }
    const set = NEEDS_RUNNING.has(file) ? whenRunning : always;
    set.files.push(file);
    set.paths.push(`${dir}/${file}`);
  }
  const flagsPath = present.has('flags') ? `${dir}/flags` : undefined;
  return { ifindexPath, ifindex, flagsPath, always, whenRunning, fixed, sumCarrierChanges };
}

function readInto(
  files: KernelFiles,
  set: Layout['always'],
  attributes: Map<string, string>,
  values: (string | undefined)[],
): void {
  files.attributes(set.paths, values);
  for (let i = 0; i < set.files.length; i++) {
    const v = values[i];
    if (v !== undefined) attributes.set(set.files[i], v);
  }
}

export function readNetClass(
  files: KernelFiles,
  classNetDir: string,
  ignored?: RegExp,
  layouts: AttributeLayouts = new Map(),
): NetClassDevice[] {
  const out: NetClassDevice[] = [];
  const values: (string | undefined)[] = [];
  const devices = files.list(classNetDir).sort();
  layouts.forEach((_, known) => {
    if (!devices.includes(known)) layouts.delete(known);
  });
  for (let d = 0; d < devices.length; d++) {
    const device = devices[d];
    if (ignored?.test(device)) continue;
    let layout = layouts.get(device);
    const ifindexPath = layout?.ifindexPath ?? `${classNetDir}/${device}/ifindex`;
    const ifindex = files.attribute(ifindexPath);
    if (!layout || layout.ifindex !== ifindex) {
      layout = layoutFor(files, `${classNetDir}/${device}`, ifindexPath, ifindex);
      layouts.set(device, layout);
    }
    // carrier, dormant, speed and duplex refuse to answer (EINVAL) while the link is down.
    const flagsText = layout.flagsPath === undefined ? undefined : files.attribute(layout.flagsPath);
    const flags = flagsText === undefined || flagsText === '' ? Number.NaN : Number(flagsText);
    const running = Number.isNaN(flags) || (flags & IFF_UP) !== 0;
    const attributes = new Map<string, string>();
    if (ifindex !== undefined) attributes.set('ifindex', ifindex);
    if (flagsText !== undefined) attributes.set('flags', flagsText);
    for (let i = 0; i < layout.fixed.length; i++) attributes.set(layout.fixed[i][0], layout.fixed[i][1]);
    readInto(files, layout.always, attributes, values);
    if (layout.sumCarrierChanges) {
      const ups = attributes.get('carrier_up_count');
      const downs = attributes.get('carrier_down_count');
      if (ups !== undefined && downs !== undefined)
        attributes.set('carrier_changes', String(Number(ups) + Number(downs)));
    }
    if (running) readInto(files, layout.whenRunning, attributes, values);
    out.push({ device, attributes });
  }
  return out;
}

/** Pure: attribute texts to node_exporter's netclass families. */
export function netclassFamilies(devices: NetClassDevice[]): MetricFamily[] {
  const info: Sample[] = [];
  const up: Sample[] = [];
  const props = PROPERTIES.map(() => [] as Sample[]);
  for (const d of devices) {
    const a = d.attributes;
    const operstate = a.get('operstate') ?? '';
    info.push({
      labels: {
        address: a.get('address') ?? '',
        broadcast: a.get('broadcast') ?? '',
        device: d.device,
        duplex: a.get('duplex') ?? '',
        ifalias: a.get('ifalias') ?? '',
        operstate,
      },
      value: 1,
    });
    const labels = { device: d.device };
    up.push({ labels, value: operstate === 'up' ? 1 : 0 });
    for (let i = 0; i < PROPERTIES.length; i++) {
      // Indexing, not destructuring: without an optimizing compiler, destructuring runs the
      // iterator protocol.
      const property = PROPERTIES[i];
      const text = a.get(property[0]);
      if (text === undefined || text === '') continue;
      let value = Number(text);
      if (Number.isNaN(value)) continue;
      // sysfs reports Mbit/s; node_exporter reports bytes/s.
      if (property[1] === 'speed_bytes') value *= 125000;
      props[i].push({ labels, value });
    }
  }
  const out: MetricFamily[] = [
    gauge('node_network_info', 'Non-numeric data from /sys/class/net/<iface>, value is always 1.', info),
    gauge('node_network_up', "Value is 1 if operstate is 'up', 0 otherwise.", up),
  ];
  for (let i = 0; i < PROPERTIES.length; i++) {
    const property = PROPERTIES[i];
    out.push({ name: property[3], help: property[4], type: property[2], samples: props[i] });
  }
  return out;
}

export const netclassCollector: NodeCollectorSpec = {
  name: 'netclass',
  defaultEnabled: true,
  help: 'interface state, MTU, speed and node_network_info from /sys/class/net',
  create: ({ paths, flags }) => {
    const ignored = compileFlagRegex(
      'collector.netclass.ignored-devices',
      flags.string('collector.netclass.ignored-devices'),
    );
    const dir = sysPath(paths, 'class/net');
    const files = new KernelFiles();
    const layouts: AttributeLayouts = new Map();
    return {
      name: 'netclass',
      collect: () => files.round(() => netclassFamilies(readNetClass(files, dir, ignored, layouts))),
      stop: () => files.close(),
    };
  },
};
