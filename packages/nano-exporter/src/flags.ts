import type { FlagSpec } from '@motley/exporter-kit';
import { collectorCatalog } from './collector-catalog.js';
import { DEFAULT_DISK_EXCLUDE } from './collectors/diskstats.js';
import { DEFAULT_NETSTAT_FIELDS } from './collectors/netstat.js';
import { DEFAULT_VMSTAT_FIELDS } from './collectors/vmstat.js';
import { DEFAULT_FS_TYPES_EXCLUDE, DEFAULT_MOUNT_POINTS_EXCLUDE } from './filesystem/mounts.js';

/** nano-exporter's own flags, named and defaulted as node_exporter 1.5 (Debian build) has them. */
export const nanoFlags: FlagSpec[] = [
  { name: 'path.procfs', kind: 'string', default: '/proc', placeholder: 'DIR', help: 'procfs mountpoint' },
  { name: 'path.sysfs', kind: 'string', default: '/sys', placeholder: 'DIR', help: 'sysfs mountpoint' },
  {
    name: 'path.rootfs',
    kind: 'string',
    default: '/',
    placeholder: 'DIR',
    help: 'rootfs mountpoint (the host root when running in a container)',
  },
  {
    name: 'path.udev.data',
    kind: 'string',
    default: '/run/udev/data',
    placeholder: 'DIR',
    help: 'udev data path (model and serial for node_disk_info)',
  },
  {
    name: 'collector.disable-defaults',
    kind: 'boolean',
    default: false,
    help: 'Enable only the collectors given with --collector.<name>',
  },
  ...collectorCatalog.map(
    (c): FlagSpec => ({
      name: `collector.${c.name}`,
      kind: 'boolean',
      default: c.defaultEnabled,
      help: `Enable the ${c.name} collector: ${c.help}`,
    }),
  ),
  {
    name: 'collector.textfile.directory',
    kind: 'string',
    default: '',
    placeholder: 'DIR',
    help: 'Directory to read *.prom files with metrics from (e.g. /var/lib/prometheus/node-exporter)',
  },
  {
    name: 'collector.filesystem.mount-points-exclude',
    kind: 'string',
    default: DEFAULT_MOUNT_POINTS_EXCLUDE,
    placeholder: 'REGEX',
    help: 'Regexp of mount points to exclude for filesystem collector',
  },
  {
    name: 'collector.filesystem.fs-types-exclude',
    kind: 'string',
    default: DEFAULT_FS_TYPES_EXCLUDE,
    placeholder: 'REGEX',
    help: 'Regexp of filesystem types to exclude for filesystem collector',
  },
  {
    name: 'collector.filesystem.mount-timeout',
    kind: 'duration',
    default: '5s',
    placeholder: 'DURATION',
    help: 'How long to wait for statfs on one mount before marking it device_error and skipping it until it answers',
  },
  {
    name: 'collector.diskstats.device-exclude',
    kind: 'string',
    default: DEFAULT_DISK_EXCLUDE,
    placeholder: 'REGEX',
    help: 'Regexp of diskstats devices to exclude (mutually exclusive to device-include)',
  },
  {
    name: 'collector.diskstats.device-include',
    kind: 'string',
    default: '',
    placeholder: 'REGEX',
    help: 'Regexp of diskstats devices to include (mutually exclusive to device-exclude)',
  },
  {
    name: 'collector.netdev.device-exclude',
    kind: 'string',
    default: '^lo$',
    placeholder: 'REGEX',
    help: 'Regexp of net devices to exclude (mutually exclusive to device-include)',
  },
  {
    name: 'collector.netdev.device-include',
    kind: 'string',
    default: '',
    placeholder: 'REGEX',
    help: 'Regexp of net devices to include (mutually exclusive to device-exclude)',
  },
  {
    name: 'collector.netclass.ignored-devices',
    kind: 'string',
    default: '^$',
    placeholder: 'REGEX',
    help: 'Regexp of net devices to ignore for netclass collector',
  },
  {
    name: 'collector.vmstat.fields',
    kind: 'string',
    default: DEFAULT_VMSTAT_FIELDS,
    placeholder: 'REGEX',
    help: 'Regexp of fields to return for vmstat collector',
  },
  {
    name: 'collector.netstat.fields',
    kind: 'string',
    default: DEFAULT_NETSTAT_FIELDS,
    placeholder: 'REGEX',
    help: 'Regexp of fields to return for netstat collector',
  },
];
