import { readFileSync } from 'node:fs';
import type { ExporterDefinition, ParsedFlags } from '@motley/exporter-kit';
import { collectorCatalog } from './collector-catalog.js';
import { nanoFlags } from './flags.js';
import { exposedGc, HeapTrimmer } from './heap-trim.js';
import type { HostPaths } from './host-paths.js';
import type { NodeCollector, NodeCollectorContext, NodeCollectorSpec } from './node-collector.js';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * The collectors the flags turn on: each one's default, unless --collector.disable-defaults,
 * in which case only those named with --collector.<name>.
 */
/** Heap growth (two V8 pages) that triggers a collection after a scrape under --expose-gc. */
const HEAP_TRIM_BUDGET = 512 * 1024;

export function enabledCollectors(
  flags: ParsedFlags,
  catalog: readonly NodeCollectorSpec[] = collectorCatalog,
): NodeCollectorSpec[] {
  const onlyExplicit = flags.boolean('collector.disable-defaults');
  return catalog.filter((c) => {
    const flag = `collector.${c.name}`;
    if (onlyExplicit) return flags.isSet(flag) && flags.boolean(flag);
    return flags.boolean(flag);
  });
}

export function hostPathsFrom(flags: ParsedFlags): HostPaths {
  return {
    procfs: flags.string('path.procfs'),
    sysfs: flags.string('path.sysfs'),
    rootfs: flags.string('path.rootfs'),
  };
}

export const definition: ExporterDefinition = {
  name: 'nano-exporter',
  namespace: 'node',
  buildInfoName: 'nano_exporter_build_info',
  version,
  description: "Linux node metrics from /proc and /sys with node_exporter's names, lighter and faster.",
  defaultListenAddress: ':9100',
  flags: nanoFlags,
  collectorTimeoutMs: 10_000,
  setup: ({ flags, log, clock }) => {
    const ctx: NodeCollectorContext = { paths: hostPathsFrom(flags), flags, log, clock };
    const collectors: NodeCollector[] = enabledCollectors(flags).map((spec) => spec.create(ctx));
    log.info('enabled collectors', { collectors: collectors.map((c) => c.name).join(',') });
    const trimmer = new HeapTrimmer(exposedGc(), HEAP_TRIM_BUDGET, 4);
    return {
      collectors,
      status: () => [
        `Collectors: ${collectors.map((c) => c.name).join(', ')}`,
        ...collectors.map((c) => c.absentReason?.()).filter((s): s is string => s !== undefined),
      ],
      // After the request's own objects are unreachable too, or the scavenge would promote them.
      afterScrape: () => void setImmediate(() => trimmer.afterScrape()),
      stop: async () => {
        await Promise.all(collectors.map((c) => c.stop?.()));
      },
    };
  },
};
