import type { Router } from '../../router.js';
import { exportHandler } from './export.js';
import { importHandler } from './import.js';
import { importPrometheusHandler } from './import-prometheus.js';
import type { IngestDeps } from './ingest-deps.js';
import { writeHandler } from './write.js';

export type { IngestDeps } from './ingest-deps.js';

/** Remote write, VictoriaMetrics-compatible import and export. */
export function registerIngestRoutes(router: Router, deps: IngestDeps): void {
  router.post('/api/v1/write', writeHandler(deps));
  router.post('/api/v1/import', importHandler(deps));
  router.post('/api/v1/import/prometheus', importPrometheusHandler(deps));
  router.getOrPost('/api/v1/export', exportHandler(deps));
}
