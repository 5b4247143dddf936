import { appendSeries } from '../storage/bulk-append.js';
import type { Appendable, Appender } from '../storage/interface.js';
import { type DecodedWriteRequest, type DecodeScratch, decodeSeriesLabels } from './write-request.js';
import { decodeRemoteWrite } from './write-request-wasm.js';

/**
 * Sample arrays one write endpoint reuses from request to request when a body is decoded by
 * decodeWriteRequest (the rare shape the WebAssembly walk leaves to it). Safe because a request is
 * decoded and appended without yielding to the event loop in between.
 */
export class RemoteWriteScratch {
  decode: DecodeScratch = { t: new Float64Array(1024), vBytes: new Uint8Array(8192) };
}

/**
 * Stores one remote write 1.0 request body (snappy block + protobuf WriteRequest, whole or in the
 * pieces read from the socket) through one appender: every series is validated before commit, so
 * a bad series rejects the whole request and nothing of it is stored. Throws SnappyError,
 * ProtobufError or StorageError on bad input. The body is decoded here, on the event loop, in the
 * remote write WebAssembly module (see write-request-wasm.ts): a decoder thread was measured
 * slower (see the README's Ingest and storage section).
 */
export async function storeRemoteWrite(
  body: Uint8Array | readonly Uint8Array[],
  appendable: Appendable,
  maxDecodedBytes: number,
  scratch?: RemoteWriteScratch,
): Promise<{ series: number; samples: number }> {
  // The decoded request is views of the decoder's memory, valid until the next decode: it is
  // appended before anything else runs.
  const req = decodeRemoteWrite(body, maxDecodedBytes, scratch?.decode);
  const app = appendable.appender();
  try {
    appendRequest(app, req);
  } catch (e) {
    app.rollback();
    throw e;
  }
  // Straight on to the commit, without yielding to the event loop in between (the scratch
  // buffers are reused by the next request).
  await app.commit();
  return { series: req.seriesCount, samples: req.sampleCount };
}

/** Hands every series of a decoded request to the appender (validation included). */
function appendRequest(app: Appender, req: DecodedWriteRequest): void {
  // One closure for the whole request, not one per series: the appender calls it before
  // returning (see Appender.seriesRef), and with 2,000 series per request the per-series closures
  // were a fifth of the event loop's allocations while ingesting.
  let i = 0;
  const labels = () => decodeSeriesLabels(req, i);
  for (; i < req.seriesCount; i++) {
    const from = req.sampleFrom[i];
    const to = req.sampleTo[i];
    if (from === to) continue;
    if (req.rawStart[i] >= 0 && app.seriesRefByBytes && app.appendSamples) {
      const ref = app.seriesRefByBytes(req.buf, req.rawStart[i], req.rawEnd[i], req.rawHash[i], labels);
      app.appendSamples(ref, req.t, req.v, from, to);
    } else {
      appendSeries(
        app,
        req.rawStart[i] >= 0 ? req.buf.toString('latin1', req.rawStart[i], req.rawEnd[i]) : req.keys[i],
        labels,
        req.t,
        req.v,
        from,
        to,
      );
    }
  }
}
