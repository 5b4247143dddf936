import { arpCollector } from './collectors/arp.js';
import { conntrackCollector } from './collectors/conntrack.js';
import { cpuCollector } from './collectors/cpu.js';
import { cpufreqCollector } from './collectors/cpufreq.js';
import { diskstatsCollector } from './collectors/diskstats.js';
import { entropyCollector } from './collectors/entropy.js';
import { filefdCollector } from './collectors/filefd.js';
import { filesystemCollector } from './collectors/filesystem.js';
import { hwmonCollector } from './collectors/hwmon.js';
import { loadavgCollector } from './collectors/loadavg.js';
import { mdadmCollector } from './collectors/mdadm.js';
import { meminfoCollector } from './collectors/meminfo.js';
import { netclassCollector } from './collectors/netclass.js';
import { netdevCollector } from './collectors/netdev.js';
import { netstatCollector } from './collectors/netstat.js';
import { osCollector } from './collectors/os.js';
import { pressureCollector } from './collectors/pressure.js';
import { raplCollector } from './collectors/rapl.js';
import { schedstatCollector } from './collectors/schedstat.js';
import { sockstatCollector } from './collectors/sockstat.js';
import { softnetCollector } from './collectors/softnet.js';
import { statCollector } from './collectors/stat.js';
import { textfileCollector } from './collectors/textfile.js';
import { thermalZoneCollector } from './collectors/thermal-zone.js';
import { timeCollector } from './collectors/time.js';
import { udpQueuesCollector } from './collectors/udp-queues.js';
import { unameCollector } from './collectors/uname.js';
import { vmstatCollector } from './collectors/vmstat.js';
import { zfsCollector } from './collectors/zfs.js';
import type { NodeCollectorSpec } from './node-collector.js';

/** Every collector, by node_exporter's name, sorted. */
export const collectorCatalog: readonly NodeCollectorSpec[] = [
  arpCollector,
  conntrackCollector,
  cpuCollector,
  cpufreqCollector,
  diskstatsCollector,
  entropyCollector,
  filefdCollector,
  filesystemCollector,
  hwmonCollector,
  loadavgCollector,
  mdadmCollector,
  meminfoCollector,
  netclassCollector,
  netdevCollector,
  netstatCollector,
  osCollector,
  pressureCollector,
  raplCollector,
  schedstatCollector,
  sockstatCollector,
  softnetCollector,
  statCollector,
  textfileCollector,
  thermalZoneCollector,
  timeCollector,
  udpQueuesCollector,
  unameCollector,
  vmstatCollector,
  zfsCollector,
];
