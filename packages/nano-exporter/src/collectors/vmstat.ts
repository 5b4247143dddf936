import { type MetricFamily, UsageError } from '@motley/exporter-kit';
import { FamilyNames } from '../family-names.js';
import { compileFlagRegex, FieldFilter } from '../flag-regex.js';
import { procPath } from '../host-paths.js';
import { KernelFiles } from '../kernel-files.js';
import type { NodeCollectorSpec } from '../node-collector.js';

export const DEFAULT_VMSTAT_FIELDS = '^(oom_kill|pgpg|pswp|pg.*fault).*';

/** `name value` lines of /proc/vmstat whose name matches `wanted`. */
export function parseVmstat(text: string, wanted: { test(name: string): boolean }): [string, number][] {
  const out: [string, number][] = [];
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', pos);
    if (space > pos && space < end) {
      const name = text.slice(pos, space);
      if (wanted.test(name)) {
        const value = Number(text.slice(space + 1, end));
        if (Number.isNaN(value)) throw new Error(`/proc/vmstat: bad value for ${name}`);
        out.push([name, value]);
      }
    } else if (end > pos) {
      throw new Error(
        `/proc/vmstat: unexpected line ${JSON.stringify(text.slice(pos, Math.min(end, pos + 60)))}`,
      );
    }
    pos = end + 1;
  }
  return out;
}

const vmstatNames = (field: string) => ({
  name: `node_vmstat_${field}`,
  help: `/proc/vmstat information field ${field}.`,
});

export function vmstatFamilies(
  values: [string, number][],
  names = new FamilyNames(vmstatNames),
): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (let i = 0; i < values.length; i++) {
    const n = names.get(values[i][0]);
    out.push({ name: n.name, help: n.help, type: 'untyped', samples: [{ value: values[i][1] }] });
  }
  return out;
}

export const vmstatCollector: NodeCollectorSpec = {
  name: 'vmstat',
  defaultEnabled: true,
  help: 'paging and OOM counters from /proc/vmstat (--collector.vmstat.fields)',
  create: ({ paths, flags }) => {
    const wanted = compileFlagRegex('collector.vmstat.fields', flags.string('collector.vmstat.fields'));
    if (!wanted) throw new UsageError('--collector.vmstat.fields must not be empty');
    const filter = new FieldFilter(wanted);
    const files = new KernelFiles();
    const names = new FamilyNames(vmstatNames);
    return {
      name: 'vmstat',
      collect: () =>
        files.round(() => vmstatFamilies(parseVmstat(files.text(procPath(paths, 'vmstat')), filter), names)),
      stop: () => files.close(),
    };
  },
};
