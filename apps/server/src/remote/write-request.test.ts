import { describe, expect, it } from 'vitest';
import { int64Varint, lenField, valueField } from '../../test/ingest/protobuf-bytes.js';
import { decodeSeriesLabels, decodeWriteRequest, ProtobufError } from './write-request.js';

function request(samples: number[][]): Buffer {
  const label = lenField(1, [
    ...lenField(1, [...Buffer.from('__name__')]),
    ...lenField(2, [...Buffer.from('up')]),
  ]);
  const series = [...label, ...samples.flatMap((s) => lenField(2, s))];
  return Buffer.from(lenField(1, series));
}

describe('decodeWriteRequest', () => {
  it('reads timestamps of every varint length, negative ones included, in either field order', () => {
    const times = [0n, 1n, 1_700_000_000_123n, 2n ** 49n - 1n, 2n ** 49n, 2n ** 52n, -1n, -1_000_000n];
    const samples = times.map((t, i) =>
      i % 2 === 0
        ? [...valueField(i + 0.5), 0x10, ...int64Varint(t)]
        : [0x10, ...int64Varint(t), ...valueField(i + 0.5)],
    );
    const req = decodeWriteRequest(request(samples));
    expect(req.seriesCount).toBe(1);
    expect(req.sampleCount).toBe(times.length);
    expect(Array.from(req.t.subarray(0, times.length))).toEqual(times.map(Number));
    expect(Array.from(req.v.subarray(0, times.length))).toEqual(times.map((_, i) => i + 0.5));
    expect(decodeSeriesLabels(req, 0)).toEqual([{ name: '__name__', value: 'up' }]);
  });

  it('skips unknown fields inside a sample and defaults a missing timestamp to 0', () => {
    const unknownVarint = [0x18, 0x96, 0x01]; // field 3, varint 150
    const req = decodeWriteRequest(
      request([[...unknownVarint, ...valueField(7), 0x10, ...int64Varint(5000n)], [...valueField(8)]]),
    );
    expect(Array.from(req.t.subarray(0, 2))).toEqual([5000, 0]);
    expect(Array.from(req.v.subarray(0, 2))).toEqual([7, 8]);
  });

  it('rejects a truncated timestamp and a timestamp varint longer than ten bytes', () => {
    expect(() => decodeWriteRequest(request([[...valueField(1), 0x10, 0x80, 0x80]]))).toThrow(ProtobufError);
    const eleven = [...valueField(1), 0x10, ...Array(10).fill(0xff), 0x01];
    expect(() => decodeWriteRequest(request([eleven]))).toThrow(/longer than 10 bytes/);
  });
});
