/**
 * Shared by the end-to-end tests: fixture paths, a throwaway textfile directory with fixed
 * mtimes, and node_exporter 1.5 started on a free loopback port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from '@motley/exporter-kit/testing';

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname.replace(/\/$/, '');
export const PACKAGE_DIR = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** A copy of test/fixtures/textfile with a fixed mtime, so golden output does not depend on git. */
export function textfileDir(): { path: string; cleanup(): void } {
  const dir = tempDir('nano-textfile-');
  mkdirSync(dir.path, { recursive: true });
  copyFileSync(join(FIXTURES, 'textfile/app.prom'), join(dir.path, 'app.prom'));
  utimesSync(join(dir.path, 'app.prom'), 1_700_000_000, 1_700_000_000);
  return dir;
}

/** Polls a URL until it answers 200 (a just-spawned exporter), then returns the body. */
export async function fetchWhenUp(url: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return await r.text();
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface NodeExporter {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the Debian node_exporter 1.5 binary with the given flags on a free port. */
export async function startNodeExporter(binary: string, args: string[]): Promise<NodeExporter> {
  const port = await freePort();
  const child = spawn(binary, [`--web.listen-address=127.0.0.1:${port}`, ...args], { stdio: 'ignore' });
  // Should the test process die first, take node_exporter with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const url = `http://127.0.0.1:${port}/metrics`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    await fetchWhenUp(url);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, process: child, stop };
}

/** Label-name sets and values per metric name, from exposition text. */
export function byName(samples: { name: string; labels: Record<string, string>; value: number }[]) {
  const out = new Map<string, { labels: Record<string, string>; value: number }[]>();
  for (const s of samples) {
    const list = out.get(s.name) ?? [];
    list.push({ labels: s.labels, value: s.value });
    out.set(s.name, list);
  }
  return out;
}

export const labelNames = (labels: Record<string, string>) => Object.keys(labels).sort().join(',');
export const seriesKey = (labels: Record<string, string>) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');

/** Metric name prefixes of the collectors nano-exporter has: node_exporter's names there must exist here too. */
export const COVERED_PREFIXES = [
  'node_cpu_seconds_total',
  'node_cpu_guest_seconds_total',
  'node_cpu_frequency',
  'node_cpu_scaling_frequency',
  'node_memory_',
  'node_load',
  'node_boot_time_seconds',
  'node_context_switches_total',
  'node_forks_total',
  'node_intr_total',
  'node_procs_',
  'node_vmstat_',
  'node_network_',
  'node_disk_',
  'node_filesystem_',
  'node_uname_info',
  'node_time_',
  'node_hwmon_',
  'node_thermal_zone_temp',
  'node_cooling_device_',
  'node_pressure_',
  'node_schedstat_',
  'node_filefd_',
  'node_nf_conntrack_',
  'node_entropy_',
  'node_sockstat_',
  'node_textfile_',
  'node_md_',
  'node_zfs_',
  'node_netstat_',
  'node_softnet_',
  'node_arp_',
  'node_os_',
  'node_udp_queues',
  'node_rapl_',
];
