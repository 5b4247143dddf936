import type { Registry } from 'prom-client';
import { sendApiData, sendText } from './http-util.js';
import type { Router } from './router.js';

/** Health, readiness, the server's own /metrics and build info. */
export function registerStatusRoutes(router: Router, deps: { registry: Registry; version: string }): void {
  router.get('/-/healthy', (_req, res) => sendText(res, 200, 'motley is Healthy.\n'));
  router.get('/-/ready', (_req, res) => sendText(res, 200, 'motley is Ready.\n'));
  router.get('/metrics', async (_req, res) => {
    sendText(res, 200, await deps.registry.metrics(), deps.registry.contentType);
  });
  router.get('/api/v1/status/buildinfo', (_req, res) =>
    sendApiData(res, {
      version: deps.version,
      revision: '',
      branch: '',
      buildUser: '',
      buildDate: '',
      goVersion: `node${process.versions.node}`,
    }),
  );
}
