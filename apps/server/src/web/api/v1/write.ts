import type { IncomingMessage, ServerResponse } from 'node:http';
import { RemoteWriteScratch, storeRemoteWrite } from '../../../remote/write-handler.js';
import { readBodyChunks } from '../../http-util.js';
import type { IngestDeps } from './ingest-deps.js';
import { ingestError } from './ingest-errors.js';

/** POST /api/v1/write: Prometheus remote write 1.0 (snappy block + protobuf WriteRequest); 204 when stored. */
export function writeHandler(deps: IngestDeps) {
  const scratch = new RemoteWriteScratch();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let stored: { samples: number };
    try {
      const body = await readBodyChunks(req, deps.maxRequestBytes);
      stored = await storeRemoteWrite(body, deps.appendable, deps.maxRequestBytes, scratch);
    } catch (e) {
      throw ingestError(e, deps.metrics, 'remote write request');
    }
    deps.metrics.samples.inc({ endpoint: 'write' }, stored.samples);
    res.writeHead(204);
    res.end();
  };
}
