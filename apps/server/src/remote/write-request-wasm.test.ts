import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compileRemoteWriteWat } from '../../scripts/wat.mjs';
import {
  lenField as field,
  valueField as value,
  int64Varint as varint,
} from '../../test/ingest/protobuf-bytes.js';
import { REMOTE_WRITE_WASM_BASE64 } from './remote-write-wasm.js';
import {
  type DecodedWriteRequest,
  decodeSeriesLabels,
  decodeWriteRequest,
  rawKeyHash,
} from './write-request.js';
import { decodeRemoteWrite } from './write-request-wasm.js';

const snappy = createRequire(import.meta.url)('snappyjs') as { compress(b: Uint8Array): Uint8Array };

const text = (s: string) => [...Buffer.from(s)];
const label = (name: string, value: string) => field(1, [...field(1, text(name)), ...field(2, text(value))]);
const sample = (t: bigint, v: number) => field(2, [...value(v), 0x10, ...varint(t)]);
const series = (...parts: number[][]) => field(1, parts.flat());

/** Everything a decoded request says, as plain data (hashes included). */
function summary(req: DecodedWriteRequest) {
  return Array.from({ length: req.seriesCount }, (_, i) => ({
    labels: decodeSeriesLabels(req, i),
    raw: req.rawStart[i] >= 0 ? [req.rawStart[i], req.rawEnd[i], req.rawHash[i]] : req.keys[i],
    samples: Array.from({ length: req.sampleTo[i] - req.sampleFrom[i] }, (_, k) => {
      const at = req.sampleFrom[i] + k;
      return [req.t[at], Buffer.from(req.v.buffer, req.v.byteOffset + at * 8, 8).toString('hex')];
    }),
  }));
}

function outcome(decode: () => DecodedWriteRequest): unknown {
  try {
    return summary(decode());
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

/** The WebAssembly path and the JavaScript decoder agree on a body, errors included. */
function expectSameAsJs(body: number[]): unknown {
  const bytes = Buffer.from(body);
  const expected = outcome(() => decodeWriteRequest(bytes));
  expect(outcome(() => decodeRemoteWrite(snappy.compress(bytes), 1 << 24))).toEqual(expected);
  return expected;
}

const up = [label('__name__', 'up'), label('job', 'node')];

describe('decodeRemoteWrite', () => {
  it('decodes the usual shape in WebAssembly exactly as decodeWriteRequest does', () => {
    const decoded = expectSameAsJs([
      ...series(...up, sample(1_700_000_000_000n, 1), sample(1_700_000_015_000n, Number.NaN)),
      ...series(label('__name__', 'x'), label('ü', 'ñ'), sample(0n, -0), sample(2n ** 49n - 1n, 2.5)),
      ...field(3, text('metadata is skipped')),
      ...series(label('__name__', 'y'), field(3, text('an exemplar')), sample(5n, 1e300)),
    ]);
    expect(decoded).toHaveLength(3);
    // The WebAssembly path did decode it: its arrays are views of the module's memory.
    const req = decodeRemoteWrite(snappy.compress(Buffer.from(series(...up, sample(1n, 1)))), 1 << 20);
    expect(req.t.buffer).toBe(req.buf.buffer);
  });

  it('agrees with decodeWriteRequest on other shapes and on damage (most are left to it)', () => {
    const cases: number[][] = [
      series(...up, sample(-1n, 1)), // negative timestamp: ten varint bytes
      series(...up, sample(2n ** 49n, 1)), // eight varint bytes
      series(label('__name__', 'a'), sample(1n, 1), label('b', 'c')), // labels after a sample
      series(sample(1n, 1)), // no labels
      series(...up, field(2, [0x18, 0x05, ...value(1)])), // an unknown varint field in a sample
      series(...up, field(2, value(3))), // no timestamp
      series(...up, field(2, [0x10, ...varint(7n)])), // no value
      [0x08, 0x01, ...series(...up, sample(1n, 1))], // a varint field in the WriteRequest
      series(...up, sample(1n, 1)).slice(0, -3), // truncated
      [...series(...up), 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], // a length above 2^28
      series(...up, [0x12, 0x05, ...value(1)]), // a sample shorter than its value
      series(...up, sample(1n, 1)).map((b, i) => (i === 1 ? b + 1 : b)), // series overruns the body
      [],
    ];
    for (const body of cases) expectSameAsJs(body);
  });

  it('grows its arrays for bodies of many tiny series and samples', () => {
    const tiny = series(label('__name__', 'a'), field(2, []));
    expect(expectSameAsJs(Array.from({ length: 3000 }, () => tiny).flat())).toHaveLength(3000);
    const samples = Array.from({ length: 5000 }, () => field(2, [0x10, 1]));
    expect(expectSameAsJs(series(label('__name__', 'a'), ...samples))).toHaveLength(1);
  });

  it('takes the body in pieces, split anywhere, the length header included', () => {
    const body = Buffer.from([
      ...series(...up, sample(1_700_000_000_000n, 1)),
      ...series(...up, sample(2n, 3)),
    ]);
    const packed = snappy.compress(Buffer.concat(Array.from({ length: 200 }, () => body)));
    const whole = summary(decodeRemoteWrite(packed, 1 << 20));
    expect(whole).toHaveLength(400);
    for (const cut of [1, 2, 3, 17, packed.length - 1]) {
      const pieces = [packed.subarray(0, cut), packed.subarray(cut, cut + 5), packed.subarray(cut + 5)];
      expect(summary(decodeRemoteWrite(pieces, 1 << 20))).toEqual(whole);
    }
    expect(() => decodeRemoteWrite([], 1 << 20)).toThrow(/unterminated length/);
  });

  it('hashes raw keys of every length as rawKeyHash does', () => {
    for (let n = 1; n <= 12; n++) {
      const body = series(label('__name__', 'm'.repeat(n)), sample(1n, 1));
      const req = decodeRemoteWrite(snappy.compress(Buffer.from(body)), 1 << 20);
      expect(req.rawHash[0]).toBe(rawKeyHash(req.buf, req.rawStart[0], req.rawEnd[0]));
    }
  });

  it('runs the module compiled from remote-write.wat (run scripts/compile-wat.mjs after editing it)', async () => {
    expect(Buffer.from(await compileRemoteWriteWat()).toString('base64')).toBe(REMOTE_WRITE_WASM_BASE64);
  });
});
