import { appendSeries } from '../storage/bulk-append.js';
import type { Appendable } from '../storage/interface.js';
import { decodeSnappy } from './snappy.js';
import { decodeSeriesLabels, decodeWriteRequest } from './write-request.js';

/**
 * Stores one remote write 1.0 request body (snappy block + protobuf WriteRequest) through one
 * appender: every series is validated before commit, so a bad series rejects the whole request
 * and nothing of it is stored. Throws SnappyError, ProtobufError or StorageError on bad input.
 */
export async function storeRemoteWrite(
  body: Uint8Array,
  appendable: Appendable,
  maxDecodedBytes: number,
): Promise<{ series: number; samples: number }> {
  const raw = decodeSnappy(body, maxDecodedBytes);
  const req = decodeWriteRequest(raw);
  const app = appendable.appender();
  try {
    for (let i = 0; i < req.seriesCount; i++) {
      const from = req.sampleFrom[i];
      const to = req.sampleTo[i];
      if (from === to) continue;
      appendSeries(app, req.keys[i], () => decodeSeriesLabels(req, i), req.t, req.v, from, to);
    }
  } catch (e) {
    app.rollback();
    throw e;
  }
  await app.commit();
  return { series: req.seriesCount, samples: req.sampleCount };
}
