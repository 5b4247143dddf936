import { ParseError } from '../../../model/textparse/parser.js';
import type { IngestMetrics, RejectReason } from '../../../remote/ingest-metrics.js';
import { SnappyError } from '../../../remote/snappy.js';
import { JsonLineError } from '../../../remote/vm-json-lines.js';
import { ProtobufError } from '../../../remote/write-request.js';
import { StorageError } from '../../../storage/interface.js';
import { HttpError } from '../../http-util.js';

/**
 * Maps an ingest failure to its HTTP answer and counts it: bad input is 400 (or 413 when too
 * large) so that senders drop it instead of retrying forever; anything else is a 500 that a
 * retry may cure.
 */
export function ingestError(e: unknown, metrics: IngestMetrics, what: string): HttpError {
  const [status, reason] = classify(e);
  metrics.rejected.inc({ reason });
  if (e instanceof HttpError) return e;
  const message = (e as Error).message;
  if (status === 500) return new HttpError(500, `cannot store ${what}: ${message}; retry later`, 'internal');
  return new HttpError(status, `bad ${what}: ${message}`, 'bad_data');
}

function classify(e: unknown): [number, RejectReason] {
  if (e instanceof HttpError) return [e.status, e.status === 413 ? 'too_large' : 'bad_text'];
  if (e instanceof SnappyError) return [400, 'bad_snappy'];
  if (e instanceof ProtobufError) return [400, 'bad_protobuf'];
  if (e instanceof JsonLineError) return [400, 'bad_json'];
  if (e instanceof ParseError) return [400, 'bad_text'];
  if (e instanceof StorageError) return [400, 'invalid_series'];
  return [500, 'storage_error'];
}
