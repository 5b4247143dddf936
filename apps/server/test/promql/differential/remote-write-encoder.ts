import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const snappy = require('snappyjs') as { compress(input: Uint8Array): Uint8Array };

export interface WriteSeries {
  labels: Record<string, string>;
  t: number[];
  v: Float64Array;
}

/**
 * Encodes a remote-write 1.0 WriteRequest (prometheus.WriteRequest protobuf, snappy block) for
 * loading the differential dataset into the reference Prometheus.
 */
export function encodeWriteRequest(series: WriteSeries[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const s of series) {
    w.uint32((1 << 3) | 2).fork();
    for (const name of Object.keys(s.labels).sort()) {
      w.uint32((1 << 3) | 2).fork();
      w.uint32((1 << 3) | 2).string(name);
      w.uint32((2 << 3) | 2).string(s.labels[name]);
      w.ldelim();
    }
    for (let i = 0; i < s.t.length; i++) {
      w.uint32((2 << 3) | 2).fork();
      w.uint32((1 << 3) | 1).double(s.v[i]);
      w.uint32(2 << 3).int64(s.t[i]);
      w.ldelim();
    }
    w.ldelim();
  }
  return snappy.compress(w.finish());
}
