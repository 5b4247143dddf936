import os from 'node:os';
import { gauge, type MetricFamily } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

export function unameFamilies(u: Utsname): MetricFamily[] {
  return [
    gauge('node_uname_info', 'Labeled system information as provided by the uname system call.', [
      {
        labels: {
          domainname: u.domainname,
          machine: u.machine,
          nodename: u.nodename,
          release: u.release,
          sysname: u.sysname,
          version: u.version,
        },
        value: 1,
      },
    ]),
  ];
}

/** uname(2) through Node's os module; the NIS domain name is not there, so it comes from procfs. */
export function readUtsname(files: KernelFiles, domainnamePath: string): Utsname {
  return {
    sysname: os.type(),
    nodename: os.hostname(),
    release: os.release(),
    version: os.version(),
    machine: os.machine(),
    domainname: files.attribute(domainnamePath) ?? '(none)',
  };
}

export const unameCollector: NodeCollectorSpec = {
  name: 'uname',
  defaultEnabled: true,
  help: 'kernel name, release, version, machine and host name (node_uname_info)',
  create: ({ paths }) => {
    const files = new KernelFiles();
    return {
      name: 'uname',
      collect: () =>
        files.round(() => unameFamilies(readUtsname(files, procPath(paths, 'sys/kernel/domainname')))),
      stop: () => files.close(),
    };
  },
};
