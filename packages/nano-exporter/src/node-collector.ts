import type { Clock, Collector, Logger, ParsedFlags } from '@motley/exporter-kit';
import type { HostPaths } from './host-paths.js';

/** What a node collector gets when it is built. */
export interface NodeCollectorContext {
  paths: HostPaths;
  flags: ParsedFlags;
  log: Logger;
  clock: Clock;
  /** Source of the statfs worker; tests pass one that hangs like a dead NFS server. */
  statfsWorkerSource?: string;
}

/** One entry of the collector catalogue: node_exporter's name and default, and a factory. */
export interface NodeCollectorSpec {
  name: string;
  defaultEnabled: boolean;
  /** One line for the README and --help: what it reads. */
  help: string;
  create(ctx: NodeCollectorContext): NodeCollector;
}

export interface NodeCollector extends Collector {
  /** Why the collector has nothing to say on this host (landing page), if so. */
  absentReason?(): string | undefined;
  /** Releases what the collector holds (workers, timers). */
  stop?(): Promise<void> | void;
}
