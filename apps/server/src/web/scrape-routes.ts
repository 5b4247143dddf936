import { type MetadataSource, serveMetadata } from './api/v1/metadata.js';
import { serveTargets, type TargetsSource } from './api/v1/targets.js';
import { HttpError, readParams, sendText } from './http-util.js';
import type { Router } from './router.js';

export interface ScrapeRouteDeps {
  targets: TargetsSource & MetadataSource;
  /** Re-reads the configuration; rejects with the reason when it is invalid (the old one stays). */
  reload(): Promise<void>;
}

/** /api/v1/targets, /api/v1/metadata and the /-/reload lifecycle endpoint. */
export function registerScrapeRoutes(router: Router, deps: ScrapeRouteDeps): void {
  router.getOrPost('/api/v1/targets', async (req, res) =>
    serveTargets(res, await readParams(req), deps.targets),
  );
  router.getOrPost('/api/v1/metadata', async (req, res) =>
    serveMetadata(res, await readParams(req), deps.targets),
  );
  router.add(['POST', 'PUT'], '/-/reload', async (_req, res) => {
    try {
      await deps.reload();
    } catch (e) {
      throw new HttpError(500, `failed to reload config: ${(e as Error).message}`);
    }
    sendText(res, 200, '');
  });
}
