import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * The head's durable log: committed sample batches in numbered segment files, each batch written
 * with one write(2) before its commit returns. The page cache then holds it, so an acknowledged
 * batch survives the process being killed (kill -9, a crash); it is replayed into the head at
 * start. A segment is deleted once every sample in it is in SQLite (see SqliteStorage's
 * checkpoints), so trimming the log costs an unlink, not a rewrite.
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

/** The single-file log of earlier versions, replayed as segment 0. */
const LEGACY_FILE = 'head.log';
const SEGMENT_DIR = 'head-log';
const SEGMENT_NAME = /^(\d{8})\.log$/;

export class DurableLog {
  private readonly dir: string;
  /** Sequence numbers of the segments on disk, oldest first (the last one is being written). */
  private readonly segments: number[] = [];
  private readonly sizes = new Map<number, number>();
  private fd = -1;
  private current = 0;
  private totalBytes = 0;
  private scratch = Buffer.alloc(0);

  /**
   * @param path the storage directory; segments live in its `head-log/` directory.
   * @param segmentBytes a segment is closed and a new one started once it is this large.
   */
  constructor(
    private readonly path: string,
    private readonly segmentBytes = 16 << 20,
  ) {
    this.dir = join(path, SEGMENT_DIR);
    if (!existsSync(this.dir)) mkdirSync(this.dir);
    if (existsSync(join(path, LEGACY_FILE))) this.track(0, statSync(join(path, LEGACY_FILE)).size);
    const found = readdirSync(this.dir)
      .map((name) => SEGMENT_NAME.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const seq of found) this.track(seq, statSync(this.file(seq)).size);
  }

  /** Bytes in every segment still on disk. */
  get size(): number {
    return this.totalBytes;
  }

  /** The segment the next append goes to. */
  get currentSegment(): number {
    this.ensureOpen();
    return this.current;
  }

  append(batch: LogBatch): void {
    this.ensureOpen();
    const { n } = batch;
    const payload = 4 + n * 20;
    const buf = this.buffer(8 + payload);
    buf.writeUInt32LE(payload, 0);
    buf.writeUInt32LE(n, 8);
    let at = 12;
    at += copyTyped(batch.refs, n * 4, buf, at);
    at += copyTyped(batch.t, n * 8, buf, at);
    copyTyped(batch.v, n * 8, buf, at);
    buf.writeUInt32LE(crc32(buf.subarray(8)), 4);
    writeSync(this.fd, buf);
    this.totalBytes += buf.length;
    const size = (this.sizes.get(this.current) ?? 0) + buf.length;
    this.sizes.set(this.current, size);
    if (size >= this.segmentBytes) this.rotate();
  }

  /**
   * One buffer reused across appends of usual sizes (a fresh one per request churns the
   * allocator); a rare huge batch gets its own, so that it is not kept.
   */
  private buffer(size: number): Buffer {
    if (size > 4 << 20) return Buffer.allocUnsafeSlow(size);
    if (this.scratch.length < size)
      this.scratch = Buffer.allocUnsafeSlow(Math.max(size, this.scratch.length * 2));
    return this.scratch.subarray(0, size);
  }

  /**
   * Every intact batch in the segments on disk, in order, with its segment's number. A torn or
   * corrupt record (a write cut short by a crash) ends its segment: the rest of that segment is
   * cut off and reported through `onTornTail`.
   */
  replay(
    apply: (batch: LogBatch, segment: number) => void,
    onTornTail: (segment: number, offset: number, reason: string) => void,
  ): number {
    let batches = 0;
    for (const seq of [...this.segments]) {
      const data = readFileSync(this.file(seq));
      let at = 0;
      while (at < data.length) {
        const reason = checkRecord(data, at);
        if (reason) {
          onTornTail(seq, at, reason);
          this.cut(seq, at);
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
        apply({ refs, t, v, n }, seq);
        batches++;
        at += 8 + payload;
      }
    }
    return batches;
  }

  /** Deletes the segments older than `segment` (their samples are all in the database). */
  dropBefore(segment: number): void {
    if (segment > this.current && this.fd >= 0) this.rotate();
    while (
      this.segments.length > 0 &&
      this.segments[0] < segment &&
      this.segments[0] !== this.openSegment()
    ) {
      const seq = this.segments.shift() as number;
      this.totalBytes -= this.sizes.get(seq) ?? 0;
      this.sizes.delete(seq);
      unlinkSync(this.file(seq));
    }
  }

  /** Deletes every segment: the database holds everything acknowledged so far. */
  clear(): void {
    this.dropBefore(Number.POSITIVE_INFINITY);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private openSegment(): number {
    return this.fd >= 0 ? this.current : -1;
  }

  /** Appends go to a new segment, numbered after every one on disk (replayed ones stay as they are). */
  private ensureOpen(): void {
    if (this.fd >= 0) return;
    const last = this.segments.length > 0 ? this.segments[this.segments.length - 1] : 0;
    this.current = last + 1;
    this.fd = openSync(this.file(this.current), 'a');
    this.track(this.current, 0);
  }

  private rotate(): void {
    this.close();
    this.ensureOpen();
  }

  private track(seq: number, size: number): void {
    this.segments.push(seq);
    this.sizes.set(seq, size);
    this.totalBytes += size;
  }

  private cut(seq: number, at: number): void {
    const fd = openSync(this.file(seq), 'r+');
    try {
      ftruncateSync(fd, at);
    } finally {
      closeSync(fd);
    }
    this.totalBytes -= (this.sizes.get(seq) ?? 0) - at;
    this.sizes.set(seq, at);
  }

  private file(seq: number): string {
    return seq === 0 ? join(this.path, LEGACY_FILE) : join(this.dir, `${String(seq).padStart(8, '0')}.log`);
  }
}

function checkRecord(data: Buffer, at: number): string | undefined {
  if (at + 12 > data.length) return 'truncated record header';
  const payload = data.readUInt32LE(at);
  if (at + 8 + payload > data.length) return 'truncated record';
  const n = data.readUInt32LE(at + 8);
  if (payload !== 4 + n * 20) return 'record length does not match its sample count';
  if (crc32(data.subarray(at + 8, at + 8 + payload)) !== data.readUInt32LE(at + 4))
    return 'checksum mismatch';
  return undefined;
}

function copyTyped(src: Uint32Array | Float64Array, byteLength: number, dst: Buffer, at: number): number {
  Buffer.from(src.buffer, src.byteOffset, byteLength).copy(dst, at);
  return byteLength;
}

function copyInto(src: Buffer, at: number, dst: Uint32Array | Float64Array, byteLength: number): number {
  src.copy(Buffer.from(dst.buffer, dst.byteOffset, byteLength), 0, at, at + byteLength);
  return byteLength;
}
