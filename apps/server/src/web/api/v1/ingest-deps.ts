import type { Clock } from '@motley/exporter-kit';
import type { IngestMetrics } from '../../../remote/ingest-metrics.js';
import type { Appendable, Queryable } from '../../../storage/interface.js';

/** What the ingest and export endpoints need from the rest of the server. */
export interface IngestDeps {
  appendable: Appendable;
  queryable: Queryable;
  /** Largest request body, compressed and decompressed. */
  maxRequestBytes: number;
  metrics: IngestMetrics;
  clock: Clock;
}
