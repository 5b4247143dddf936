import type { Registry } from 'prom-client';
import type { Clock } from './clock.js';
import type { Collector } from './collector.js';
import type { FlagSpec, ParsedFlags } from './flags.js';
import type { Logger } from './log.js';

/** What an exporter tells the kit about itself. */
export interface ExporterDefinition {
  /** Program name, e.g. "nano-exporter". */
  name: string;
  /** Metric prefix for the kit's own metrics: `<ns>_scrape_collector_success`, `<ns>_build_info`. */
  namespace: string;
  version: string;
  description: string;
  /** e.g. ":9100" */
  defaultListenAddress: string;
  /** Overrides `<ns>_build_info`. */
  buildInfoName?: string;
  /** The exporter's own flags, shown in --help after the common ones. */
  flags?: FlagSpec[];
  /** Short aliases for any flag, common ones included, e.g. `{ l: 'web.listen-address' }`. */
  shortFlags?: Record<string, string>;
  /** Usage line after the program name in --help. */
  usage?: string;
  /** How long one collector may take before it counts as failed (default 10 s). */
  collectorTimeoutMs?: number;
  /** Subcommands that run instead of the server, e.g. `decode`: return the exit code. */
  commands?: Record<string, (argv: string[]) => Promise<number> | number>;
  /** Builds the exporter's parts. Throw UsageError for bad configuration (exit 2). */
  setup(ctx: ExporterContext): Promise<ExporterInstance> | ExporterInstance;
}

export interface ExporterContext {
  flags: ParsedFlags;
  /** The exporter's own prom-client Registry (never the global one); rendered with every scrape. */
  registry: Registry;
  log: Logger;
  clock: Clock;
}

export interface ExporterInstance {
  collectors?: Collector[];
  /** Lines for the landing page, e.g. why there is no data. */
  status?(): string[];
  /** Called once on shutdown. */
  stop?(): Promise<void> | void;
  /**
   * Called after each /metrics answer has been handed to the socket, so work done here (e.g.
   * releasing memory) never delays a scrape.
   */
  afterScrape?(): void;
}
