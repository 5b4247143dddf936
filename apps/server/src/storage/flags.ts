import type { FlagSpec } from '@motley/exporter-kit';

/** Flags of the storage and ingest endpoints; the server role adds them to its own. */
export const storageFlags: FlagSpec[] = [
  {
    name: 'storage.path',
    kind: 'string',
    default: 'data',
    placeholder: 'DIR',
    help: 'Directory for the time series database; created if missing, locked while the server runs',
  },
  {
    name: 'storage.retention',
    kind: 'duration',
    default: '30d',
    placeholder: 'DURATION',
    help: 'How long to keep samples, e.g. 15d, 1y, 99y; older chunks are dropped every 5 minutes',
  },
  {
    name: 'ingest.max-request-bytes',
    kind: 'number',
    default: 64 << 20,
    placeholder: 'BYTES',
    help: 'Largest accepted ingest request body (remote write, import), compressed and decompressed; larger ones get 413',
  },
];
