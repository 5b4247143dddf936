import { gauge, type MetricFamily, type Sample } from '@motley/exporter-kit';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';
import { fields } from '../text-fields.js';

export interface MdArray {
  device: string;
  /** active, inactive, recovering, resync, check */
  state: string;
  disksActive: number;
  disksTotal: number;
  disksFailed: number;
  disksSpare: number;
  blocksTotal: number;
  blocksSynced: number;
}

const STATUS_DISKS = /\[(\d+)\/(\d+)\]/;
const RECOVERY_BLOCKS = /\((\d+)\/\d+\)/;

/** /proc/mdstat: a `mdN : state level disks...` line, a status line, then optional progress lines. */
export function parseMdstat(text: string): MdArray[] {
  const all = text.split('\n');
  const out: MdArray[] = [];
  for (let i = 0; i < all.length; i++) {
    const line = all[i];
    if (!line.startsWith('md')) continue;
    const f = fields(line);
    if (f.length < 3 || f[1] !== ':')
      throw new Error(`/proc/mdstat: unexpected line ${JSON.stringify(line.slice(0, 60))}`);
    const status = all[i + 1];
    if (status === undefined) throw new Error(`/proc/mdstat: ${f[0]} has no status line`);
    const blocksTotal = Number(fields(status)[0]);
    if (Number.isNaN(blocksTotal))
      throw new Error(
        `/proc/mdstat: ${f[0]}: bad block count in ${JSON.stringify(status.trim().slice(0, 60))}`,
      );
    let state = f[2];
    let disksActive = 0;
    let disksTotal = 0;
    if (state === 'inactive') {
      // no disk counts
    } else if (line.includes('raid0') || line.includes('linear')) {
      disksTotal = disksActive = (line.match(/\[/g) ?? []).length;
    } else {
      const m = STATUS_DISKS.exec(status);
      if (!m) throw new Error(`/proc/mdstat: ${f[0]}: no [total/active] in status line`);
      disksTotal = Number(m[1]);
      disksActive = Number(m[2]);
    }
    let progressLine = all[i + 2] ?? '';
    if (progressLine.includes('bitmap')) progressLine = all[i + 3] ?? '';
    let blocksSynced = blocksTotal;
    const activity = progressLine.includes('recovery')
      ? 'recovering'
      : progressLine.includes('resync')
        ? 'resync'
        : progressLine.includes('check')
          ? 'check'
          : undefined;
    if (activity) {
      state = activity;
      if (progressLine.includes('PENDING') || progressLine.includes('DELAYED')) blocksSynced = 0;
      else {
        const m = RECOVERY_BLOCKS.exec(progressLine);
        if (!m) throw new Error(`/proc/mdstat: ${f[0]}: no (synced/total) in progress line`);
        blocksSynced = Number(m[1]);
      }
    }
    out.push({
      device: f[0],
      state,
      disksActive,
      disksTotal,
      disksFailed: (line.match(/\(F\)/g) ?? []).length,
      disksSpare: (line.match(/\(S\)/g) ?? []).length,
      blocksTotal,
      blocksSynced,
    });
  }
  return out;
}

const STATES = ['active', 'inactive', 'recovering', 'resync', 'check'] as const;

export function mdadmFamilies(arrays: MdArray[]): MetricFamily[] {
  const blocks: Sample[] = [];
  const synced: Sample[] = [];
  const disks: Sample[] = [];
  const required: Sample[] = [];
  const state: Sample[] = [];
  for (const a of arrays) {
    const device = a.device;
    blocks.push({ labels: { device }, value: a.blocksTotal });
    synced.push({ labels: { device }, value: a.blocksSynced });
    disks.push({ labels: { device, state: 'active' }, value: a.disksActive });
    disks.push({ labels: { device, state: 'failed' }, value: a.disksFailed });
    disks.push({ labels: { device, state: 'spare' }, value: a.disksSpare });
    required.push({ labels: { device }, value: a.disksTotal });
    for (const s of STATES) state.push({ labels: { device, state: s }, value: a.state === s ? 1 : 0 });
  }
  return [
    gauge('node_md_blocks', 'Total number of blocks on device.', blocks),
    gauge('node_md_blocks_synced', 'Number of blocks synced on device.', synced),
    gauge('node_md_disks', 'Number of active/failed/spare disks of device.', disks),
    gauge('node_md_disks_required', 'Total number of disks of device.', required),
    gauge('node_md_state', 'Indicates the state of md-device.', state),
  ];
}

export const mdadmCollector: NodeCollectorSpec = {
  name: 'mdadm',
  defaultEnabled: true,
  help: 'software RAID state and sync progress from /proc/mdstat',
  create: ({ paths }) => {
    const files = new KernelFiles();
    let absent = false;
    return {
      name: 'mdadm',
      collect: () =>
        files.round(() => {
          const text = files.optional(procPath(paths, 'mdstat'));
          absent = text === undefined;
          return text === undefined ? [] : mdadmFamilies(parseMdstat(text));
        }),
      absentReason: () => (absent ? 'mdadm: no /proc/mdstat (md RAID driver not loaded)' : undefined),
      stop: () => files.close(),
    };
  },
};
