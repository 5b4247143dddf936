import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeChunk } from '../../src/storage/chunkenc/chunk.js';
import { encodeWriteRequest } from './helpers.js';

// The thread runs compiled code: load the built module, as the server does.
const dist = join(import.meta.dirname, '../../dist/codec/codec-thread.js');
const { CodecThread } = (await import(dist)) as typeof import('../../src/codec/codec-thread.js');
const snappy = createRequire(import.meta.url)('snappyjs') as { compress(b: Uint8Array): Uint8Array };

const thread = new CodecThread();
afterAll(() => thread.close());

describe('CodecThread', () => {
  it('is available once built', () => {
    expect(CodecThread.available()).toBe(true);
  });

  it('decodes remote write bodies, handing the arrays back', async () => {
    const body = snappy.compress(
      encodeWriteRequest([
        {
          labels: { __name__: 'up', job: 'a' },
          samples: [
            [1000, 1],
            [2000, 'stale'],
          ],
        },
        { labels: { __name__: 'up', job: 'b' }, samples: [[1000, 0]] },
      ]),
    );
    const req = await thread.decodeRemoteWrite(body, 1 << 20);
    expect(req.seriesCount).toBe(2);
    expect(req.sampleCount).toBe(3);
    expect(Buffer.isBuffer(req.buf)).toBe(true);
    expect([...req.t.subarray(0, 3)]).toEqual([1000, 2000, 1000]);
    const words = new Uint32Array(req.v.buffer, req.v.byteOffset, 6);
    expect([words[2], words[3]]).toEqual([2, 0x7ff00000]); // the stale marker, bit for bit
  });

  it('rejects bad bodies with the decoder errors, and keeps working', async () => {
    await expect(
      thread.decodeRemoteWrite(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 1 << 20),
    ).rejects.toMatchObject({
      name: 'SnappyError',
    });
    await expect(
      thread.decodeRemoteWrite(snappy.compress(new Uint8Array([0x0a, 0x50, 1])), 1 << 20),
    ).rejects.toMatchObject({
      name: 'ProtobufError',
    });
    await expect(thread.decodeRemoteWrite(snappy.compress(new Uint8Array(100)), 10)).rejects.toThrow(
      /more than the limit/,
    );
    const ok = await thread.decodeRemoteWrite(snappy.compress(encodeWriteRequest([])), 1 << 20);
    expect(ok.seriesCount).toBe(0);
  });

  it('encodes chunks that decode to the same samples', async () => {
    const t = new Float64Array([1000, 2000, 3000, 5000, 6000]);
    const v = new Float64Array([1.5, Number.NaN, -0, 7, 1e300]);
    const enc = await thread.encodeChunks({ offsets: new Int32Array([0, 3, 5]), t: t.slice(), v: v.slice() });
    const first = decodeChunk(enc.bytes.subarray(enc.offsets[0], enc.offsets[1]), 1000);
    const second = decodeChunk(enc.bytes.subarray(enc.offsets[1], enc.offsets[2]), 5000);
    expect([...first.t, ...second.t]).toEqual([...t]);
    expect([...first.v, ...second.v]).toEqual([...v]);
    expect(Object.is(first.v[2], -0)).toBe(true);
  });
});
