import type { Registry } from 'prom-client';
import { sendApiData, sendText } from './http-util.js';
import type { Router } from './router.js';

/** The Prometheus release whose HTTP API this server implements (see buildinfo). */
export const PROMETHEUS_API_VERSION = '2.53.0';

function landingPage(version: string): string {
  const links: Array<[string, string]> = [
    ['/api/v1/targets', 'scrape targets and their health'],
    ['/api/v1/query?query=up', 'PromQL: which targets are up'],
    ['/api/v1/label/__name__/values', 'metric names'],
    ['/metrics', "the server's own metrics"],
    ['/-/healthy', 'health'],
  ];
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>motley</title>
<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em}</style></head>
<body><h1>motley ${version}</h1>
<p>Scrapes exporters, stores samples in SQLite and serves the Prometheus HTTP API. Add this address as a
Prometheus data source in Grafana.</p>
<ul>${links.map(([href, text]) => `<li><a href="${href}">${href}</a>: ${text}</li>`).join('')}</ul>
</body></html>
`;
}

/** Health, readiness, the server's own /metrics and build info. */
export function registerStatusRoutes(router: Router, deps: { registry: Registry; version: string }): void {
  router.get('/', (_req, res) => sendText(res, 200, landingPage(deps.version), 'text/html; charset=utf-8'));
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
