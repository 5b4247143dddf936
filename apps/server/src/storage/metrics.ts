import { Counter, Gauge, type Registry } from 'prom-client';

export interface StorageGauges {
  headSeries(): number;
  chunks(): number;
  diskBytes(): number;
}

/** The storage's own metrics, on the registry it is given (none: counted but not exported). */
export class StorageMetrics {
  readonly samplesAppended: Counter;
  readonly seriesCreated: Counter;
  readonly outOfOrderSamples: Counter;
  readonly chunksSealed: Counter;
  readonly checkpoints: Counter;
  readonly logTrims: Counter;
  readonly retentionDroppedChunks: Counter;
  readonly walReplaySeconds: Gauge;

  constructor(registry: Registry | undefined, gauges: StorageGauges) {
    const registers = registry ? [registry] : [];
    this.samplesAppended = new Counter({
      name: 'motley_storage_samples_appended_total',
      help: 'Samples committed to storage.',
      registers,
    });
    this.seriesCreated = new Counter({
      name: 'motley_storage_series_created_total',
      help: 'Series created in storage.',
      registers,
    });
    this.outOfOrderSamples = new Counter({
      name: 'motley_storage_out_of_order_samples_total',
      help: 'Samples older than their series head, merged into sealed chunks.',
      registers,
    });
    this.chunksSealed = new Counter({
      name: 'motley_storage_chunks_sealed_total',
      help: 'Head chunks that filled up and were sealed into the database.',
      registers,
    });
    this.checkpoints = new Counter({
      name: 'motley_storage_checkpoints_total',
      help: 'Full head checkpoints into the database (each empties the durable log).',
      registers,
    });
    this.logTrims = new Counter({
      name: 'motley_storage_log_trims_total',
      help: 'Durable log trims: sealed chunks written to the database, log segments no longer needed deleted.',
      registers,
    });
    this.retentionDroppedChunks = new Counter({
      name: 'motley_storage_retention_dropped_chunks_total',
      help: 'Chunks dropped because all their samples were older than --storage.retention.',
      registers,
    });
    this.walReplaySeconds = new Gauge({
      name: 'motley_storage_wal_replay_duration_seconds',
      help: 'Time spent replaying the durable log at the last start.',
      registers,
    });
    new Gauge({
      name: 'motley_storage_head_series',
      help: 'Series with samples in the in-memory head.',
      registers,
      collect() {
        this.set(gauges.headSeries());
      },
    });
    new Gauge({
      name: 'motley_storage_chunks',
      help: 'Chunks stored in the database.',
      registers,
      collect() {
        this.set(gauges.chunks());
      },
    });
    new Gauge({
      name: 'motley_storage_bytes',
      help: 'Bytes on disk in --storage.path (database, its WAL and the durable log).',
      registers,
      collect() {
        this.set(gauges.diskBytes());
      },
    });
  }
}
