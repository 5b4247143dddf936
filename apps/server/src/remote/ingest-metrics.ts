import { Counter, type Registry } from 'prom-client';

export type RejectReason =
  | 'too_large'
  | 'bad_snappy'
  | 'bad_protobuf'
  | 'bad_json'
  | 'bad_text'
  | 'invalid_series'
  | 'storage_error';

/** Counters of the ingest endpoints, on the registry they are given. */
export class IngestMetrics {
  readonly rejected: Counter<'reason'>;
  readonly samples: Counter<'endpoint'>;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    this.rejected = new Counter({
      name: 'motley_ingest_rejected_requests_total',
      help: 'Ingest requests refused, by reason; nothing of a refused request is stored.',
      labelNames: ['reason'],
      registers,
    });
    this.samples = new Counter({
      name: 'motley_ingest_samples_total',
      help: 'Samples accepted, by ingest endpoint.',
      labelNames: ['endpoint'],
      registers,
    });
  }
}
