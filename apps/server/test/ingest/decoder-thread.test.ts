import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWriteRequest } from './helpers.js';

// The thread runs compiled code: load the built module, as the server does.
const dist = join(import.meta.dirname, '../../dist/remote/decoder-thread.js');
const { DecoderThread } = (await import(dist)) as typeof import('../../src/remote/decoder-thread.js');
const handler = join(import.meta.dirname, '../../dist/remote/write-handler.js');
const { storeRemoteWrite } = (await import(handler)) as typeof import('../../src/remote/write-handler.js');
const snappy = createRequire(import.meta.url)('snappyjs') as { compress(b: Uint8Array): Uint8Array };

const thread = new DecoderThread();
afterAll(() => thread.close());

describe('DecoderThread', () => {
  it('is available once built', () => {
    expect(DecoderThread.available()).toBe(true);
  });

  it('starts ahead of the first request without keeping the process alive', async () => {
    // A process that only starts a thread must still exit by itself once its work is done. (A
    // script file, not -e: a module evaluated from -e let the process exit with the thread held.)
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const script = join(mkdtempSync(join(tmpdir(), 'decoder-start-')), 'start.mjs');
    writeFileSync(
      script,
      `const { DecoderThread } = await import(${JSON.stringify(dist)});
      new DecoderThread().start();
      setTimeout(() => console.log('started'), 300);`,
    );
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [script], { timeout: 10_000, encoding: 'utf8' });
    expect(out.trim()).toBe('started');
    const started = new DecoderThread();
    started.start();
    try {
      const req = await started.decodeRemoteWrite(
        snappy.compress(encodeWriteRequest([{ labels: { __name__: 'x' }, samples: [[1000, 1]] }])),
        1 << 20,
      );
      expect(req.sampleCount).toBe(1);
    } finally {
      await started.close();
    }
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

  it('fails the jobs of a thread that died with a retryable error, and starts a new one', async () => {
    const own = new DecoderThread();
    // A body is handed over to the thread: each call gets its own.
    const body = () =>
      snappy.compress(encodeWriteRequest([{ labels: { __name__: 'x' }, samples: [[1000, 1]] }]));
    await own.decodeRemoteWrite(body(), 1 << 20); // the thread is up
    const worker = (own as unknown as { worker: { terminate(): Promise<number> } }).worker;
    // Stopping is asked for before the job is queued, so the thread cannot answer it (queued
    // after the stop, a fast thread sometimes decoded it first).
    const stopped = worker.terminate();
    const outcome = own.decodeRemoteWrite(body(), 1 << 20).then(
      () => 'decoded',
      (e: Error) => e.message,
    );
    await stopped;
    expect(await outcome).toMatch(/decoder thread exited with code 1; retry the request/);
    const again = await own.decodeRemoteWrite(body(), 1 << 20);
    expect(again.sampleCount).toBe(1);
    await own.close();
  });

  it('decodes into the arrays of a recycled request, and a recycled request is not read again', async () => {
    const bodyOf = (job: string, n: number) =>
      snappy.compress(
        encodeWriteRequest([
          {
            labels: { __name__: 'r', job },
            samples: Array.from({ length: n }, (_, i) => [i * 1000, i] as [number, number]),
          },
        ]),
      );
    const first = await thread.decodeRemoteWrite(bodyOf('one', 3000), 1 << 20);
    expect(first.sampleCount).toBe(3000);
    const label = first.buf.toString('latin1', first.rawStart[0], first.rawEnd[0]);
    thread.recycle(first);
    expect(first.t.length).toBe(0); // handed over: detached here
    const second = await thread.decodeRemoteWrite(bodyOf('two', 10), 1 << 20);
    expect(second.sampleCount).toBe(10);
    expect([...second.v.subarray(0, 10)]).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(second.buf.toString('latin1', second.rawStart[0], second.rawEnd[0])).toBe(
      label.replace('one', 'two'),
    );
    expect(second.t.length).toBeGreaterThanOrEqual(3000); // the first request's array, reused
  });
});

describe('storeRemoteWrite with the decoder thread', () => {
  it('commits requests in the order they came in, however long each takes to decode', async () => {
    const committed: number[] = [];
    // Records the value of each request's `order` sample when the request commits.
    const recording = {
      appender() {
        let mark = Number.NaN;
        return {
          append(_ref: number, labels: readonly { name: string; value: string }[], _t: number, v: number) {
            if (labels.some((l) => l.name === '__name__' && l.value === 'order')) mark = v;
            return 1;
          },
          commit: async () => {
            committed.push(mark);
          },
          rollback() {},
        };
      },
    };
    // Large requests first: the later, small ones are decoded long after they were handed over.
    const sizes = [20_000, 5_000, 10, 2_000, 1, 1];
    const bodies = sizes.map((n, i) =>
      snappy.compress(
        encodeWriteRequest([
          { labels: { __name__: 'order' }, samples: [[1000, i + 1]] },
          ...Array.from({ length: n }, (_, k) => ({
            labels: { __name__: 'filler', k: String(k) },
            samples: [[1000, k] as [number, number]],
          })),
        ]),
      ),
    );
    const own = new DecoderThread();
    await Promise.all(bodies.map((b) => storeRemoteWrite(b, recording, 1 << 26, undefined, own)));
    await own.close();
    expect(committed).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
