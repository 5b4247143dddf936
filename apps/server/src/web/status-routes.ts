import type { Registry } from 'prom-client';
import { sendApiData, sendText } from './http-util.js';
import type { Router } from './router.js';

/** The Prometheus release whose HTTP API this server implements (see buildinfo). */
export const PROMETHEUS_API_VERSION = '2.53.0';

/** Health, readiness, the server's own /metrics and build info. */
export function registerStatusRoutes(router: Router, deps: { registry: Registry; version: string }): void {
  router.get('/-/healthy', (_req, res) => sendText(res, 200, 'motley is Healthy.\n'));
  router.get('/-/ready', (_req, res) => sendText(res, 200, 'motley is Ready.\n'));
  router.get('/metrics', async (_req, res) => {
    sendText(res, 200, await deps.registry.metrics(), deps.registry.contentType);
  });
  router.get('/api/v1/status/buildinfo', (_req, res) =>
    sendApiData(res, {
      // Grafana reads this field to decide which Prometheus API features it may use; we answer with
      // the Prometheus release whose API we follow, and give our own version separately.
      version: PROMETHEUS_API_VERSION,
      motleyVersion: deps.version,
      revision: '',
      branch: '',
      buildUser: '',
      buildDate: '',
      goVersion: `node${process.versions.node}`,
    }),
  );
}
