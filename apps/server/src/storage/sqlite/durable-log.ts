import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * The head's durable log: an append-only file of committed sample batches, written once per
 * commit before the commit returns. write(2) puts the bytes in the kernel's page cache, so an
 * acknowledged batch survives the process being killed (kill -9, a crash); it is replayed into the
 * head at start and truncated once the head is checkpointed into SQLite.
 *
 * Record: u32 payload length, u32 CRC-32 of the payload, payload = u32 count, count x u32 series
 * id, count x f64 timestamp, count x f64 value (value bits verbatim), all little-endian.
 */
export interface LogBatch {
  refs: Uint32Array;
  t: Float64Array;
  v: Float64Array;
  n: number;
}

export class DurableLog {
  private readonly fd: number;
  private bytes: number;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'a+');
    this.bytes = fstatSync(this.fd).size;
  }

  get size(): number {
    return this.bytes;
  }

  append(batch: LogBatch): void {
    const { n } = batch;
    const payload = 4 + n * 20;
    const buf = Buffer.allocUnsafe(8 + payload);
    buf.writeUInt32LE(payload, 0);
    buf.writeUInt32LE(n, 8);
    let at = 12;
    at += copyTyped(batch.refs, n * 4, buf, at);
    at += copyTyped(batch.t, n * 8, buf, at);
    copyTyped(batch.v, n * 8, buf, at);
    buf.writeUInt32LE(crc32(buf.subarray(8)), 4);
    writeSync(this.fd, buf);
    this.bytes += buf.length;
  }

  /**
   * Every intact batch in the file, in order. A torn or corrupt tail (a write cut short by a
   * crash) ends the replay and is cut off, reported through `onTornTail`.
   */
  replay(apply: (batch: LogBatch) => void, onTornTail: (offset: number, reason: string) => void): number {
    const data = readFileSync(this.path);
    let at = 0;
    let batches = 0;
    while (at < data.length) {
      const reason = this.checkRecord(data, at);
      if (reason) {
        onTornTail(at, reason);
        ftruncateSync(this.fd, at);
        this.bytes = at;
        break;
      }
      const payload = data.readUInt32LE(at);
      const n = data.readUInt32LE(at + 8);
      const refs = new Uint32Array(n);
      const t = new Float64Array(n);
      const v = new Float64Array(n);
      let p = at + 12;
      p += copyInto(data, p, refs, n * 4);
      p += copyInto(data, p, t, n * 8);
      copyInto(data, p, v, n * 8);
      apply({ refs, t, v, n });
      batches++;
      at += 8 + payload;
    }
    return batches;
  }

  private checkRecord(data: Buffer, at: number): string | undefined {
    if (at + 12 > data.length) return 'truncated record header';
    const payload = data.readUInt32LE(at);
    if (at + 8 + payload > data.length) return 'truncated record';
    const n = data.readUInt32LE(at + 8);
    if (payload !== 4 + n * 20) return 'record length does not match its sample count';
    if (crc32(data.subarray(at + 8, at + 8 + payload)) !== data.readUInt32LE(at + 4))
      return 'checksum mismatch';
    return undefined;
  }

  /** Empties the log once everything in it is checkpointed. */
  truncate(): void {
    ftruncateSync(this.fd, 0);
    this.bytes = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function copyTyped(src: Uint32Array | Float64Array, byteLength: number, dst: Buffer, at: number): number {
  Buffer.from(src.buffer, src.byteOffset, byteLength).copy(dst, at);
  return byteLength;
}

function copyInto(src: Buffer, at: number, dst: Uint32Array | Float64Array, byteLength: number): number {
  src.copy(Buffer.from(dst.buffer, dst.byteOffset, byteLength), 0, at, at + byteLength);
  return byteLength;
}
