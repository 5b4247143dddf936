import { type Label, type Labels, sortLabels } from '../model/labels.js';

/**
 * A hand-written decoder for remote write 1.0's WriteRequest, straight off the decompressed buffer:
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; exemplars = 3; histograms = 4; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }
 *
 * Samples land in two flat Float64Arrays (values copied as bytes, so NaN payloads survive); each
 * series gets a key (its label fields as a latin1 string) that identifies it without decoding the
 * labels, which happens only for series the storage has not seen (decodeSeriesLabels).
 */

export class ProtobufError extends Error {
  override name = 'ProtobufError';
}

export interface DecodedWriteRequest {
  readonly buf: Buffer;
  readonly seriesCount: number;
  /**
   * Per series: the byte range of its label fields and their hash (rawKeyHash), a cheap identity for
   * lookups (rawStart is -1 when labels and samples interleave; keys[i] then holds the bytes as a
   * latin1 string instead).
   */
  readonly rawStart: Int32Array;
  readonly rawEnd: Int32Array;
  readonly rawHash: Int32Array;
  readonly keys: string[];
  /** Per series: the byte range of its TimeSeries message. */
  readonly seriesStart: Int32Array;
  readonly seriesEnd: Int32Array;
  /** Per series: its samples are t/v[sampleFrom[i] .. sampleTo[i]). */
  readonly sampleFrom: Int32Array;
  readonly sampleTo: Int32Array;
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly sampleCount: number;
}

const TWO_32 = 4294967296;

/** Sample arrays a caller may reuse across requests it handles one at a time. */
export interface DecodeScratch {
  t: Float64Array;
  vBytes: Uint8Array;
}

/**
 * Decodes a WriteRequest. With `scratch`, the sample arrays are reused across calls: the result
 * is then only valid until the next call with the same scratch.
 */
export function decodeWriteRequest(buf: Buffer, scratch?: DecodeScratch): DecodedWriteRequest {
  let seriesCap = 64;
  let seriesStart = new Int32Array(seriesCap);
  let seriesEnd = new Int32Array(seriesCap);
  let sampleFrom = new Int32Array(seriesCap);
  let sampleTo = new Int32Array(seriesCap);
  let rawStart = new Int32Array(seriesCap);
  let rawEnd = new Int32Array(seriesCap);
  let rawHash = new Int32Array(seriesCap);
  const keys: string[] = [];
  let sampleCap = scratch ? scratch.t.length : Math.max(64, buf.length >>> 4);
  let t = scratch ? scratch.t : new Float64Array(sampleCap);
  let vBytes = scratch ? scratch.vBytes : new Uint8Array(sampleCap * 8);
  let vWords = new Uint32Array(vBytes.buffer, 0, sampleCap * 2);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  // A plain Uint8Array view: element reads on it stay on V8's fastest path (a Buffer's may not).
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  let nSeries = 0;
  let nSamples = 0;

  let pos = 0;
  const end = buf.length;
  // Varint reader for values below 2^32 (tags and lengths); longer ones are rejected.
  const readLen = (): number => {
    let x = 0;
    let shift = 0;
    while (true) {
      if (pos >= end) throw new ProtobufError('invalid protobuf: truncated varint');
      const b = buf[pos++];
      if (shift === 28) {
        if (b > 0x0f) throw new ProtobufError('invalid protobuf: length or tag above 2^32');
        return x + b * 0x10000000;
      }
      x |= (b & 0x7f) << shift;
      if (b < 0x80) return x >>> 0;
      shift += 7;
    }
  };
  const skip = (wireType: number, limit: number): void => {
    if (wireType === 0) {
      while (true) {
        if (pos >= limit) throw new ProtobufError('invalid protobuf: truncated varint');
        if (buf[pos++] < 0x80) break;
      }
    } else if (wireType === 1) pos += 8;
    else if (wireType === 2) {
      const len = readLen(); // read before pos: `pos += readLen()` would add to the old pos
      pos += len;
    } else if (wireType === 5) pos += 4;
    else throw new ProtobufError(`invalid protobuf: unsupported wire type ${wireType}`);
    if (pos > limit) throw new ProtobufError('invalid protobuf: field overruns its message');
  };

  while (pos < end) {
    const tag = readLen();
    if (tag !== 0x0a) {
      skip(tag & 7, end);
      continue;
    }
    const len = readLen();
    const msgEnd = pos + len;
    if (msgEnd > end) throw new ProtobufError('invalid protobuf: time series overruns the request');
    if (nSeries === seriesCap) {
      seriesCap *= 2;
      seriesStart = grow(seriesStart, seriesCap);
      seriesEnd = grow(seriesEnd, seriesCap);
      sampleFrom = grow(sampleFrom, seriesCap);
      sampleTo = grow(sampleTo, seriesCap);
      rawStart = grow(rawStart, seriesCap);
      rawEnd = grow(rawEnd, seriesCap);
      rawHash = grow(rawHash, seriesCap);
    }
    seriesStart[nSeries] = pos;
    seriesEnd[nSeries] = msgEnd;
    sampleFrom[nSeries] = nSamples;
    let keyStart = -1;
    let keyEnd = -1;
    let key = '';
    let contiguous = true;
    while (pos < msgEnd) {
      const fieldStart = pos;
      const ftag = readLen();
      if (ftag === 0x0a) {
        const l = readLen();
        pos += l;
        if (pos > msgEnd) throw new ProtobufError('invalid protobuf: label overruns its time series');
        if (keyStart < 0) keyStart = fieldStart;
        else if (keyEnd !== fieldStart) {
          // Labels interleaved with samples: collect the pieces.
          key += buf.toString('latin1', keyStart, keyEnd);
          keyStart = fieldStart;
          contiguous = false;
        }
        keyEnd = pos;
      } else if (ftag === 0x12) {
        const l = readLen();
        const sEnd = pos + l;
        if (sEnd > msgEnd) throw new ProtobufError('invalid protobuf: sample overruns its time series');
        if (nSamples === sampleCap) {
          sampleCap *= 2;
          t = grow(t, sampleCap);
          vBytes = grow(vBytes, sampleCap * 8);
          vWords = new Uint32Array(vBytes.buffer, 0, sampleCap * 2);
        }
        let ts = 0;
        // The value's two little-endian words, copied as integers: NaN payloads survive.
        const w = nSamples * 2;
        vWords[w] = 0;
        vWords[w + 1] = 0;
        // The hot loop of the decoder: the position lives in a local (`pos` is shared with the
        // helpers), and a timestamp of up to 7 varint bytes (below 2^49 ms, any date after 1970)
        // is read inline; longer ones, negatives included, take readInt64.
        let p = pos;
        while (p < sEnd) {
          const stag = bytes[p++];
          if (stag === 0x09) {
            if (p + 8 > sEnd) throw new ProtobufError('invalid protobuf: truncated sample value');
            vWords[w] = view.getUint32(p, true);
            vWords[w + 1] = view.getUint32(p + 4, true);
            p += 8;
          } else if (stag === 0x10) {
            const at = p;
            let x = 0;
            let mul = 1;
            let byte = 0x80;
            for (let k = 0; k < 7 && byte >= 0x80; k++) {
              if (p >= sEnd) throw new ProtobufError('invalid protobuf: truncated timestamp');
              byte = bytes[p++];
              x += (byte & 0x7f) * mul;
              mul *= 128;
            }
            if (byte < 0x80) {
              ts = x;
            } else {
              pos = at;
              ts = readInt64(sEnd);
              p = pos;
            }
          } else {
            pos = p - 1;
            skip(readLen() & 7, sEnd);
            p = pos;
          }
        }
        pos = p;
        t[nSamples++] = ts;
      } else {
        skip(ftag & 7, msgEnd);
      }
    }
    if (contiguous) {
      rawStart[nSeries] = keyStart;
      rawEnd[nSeries] = keyEnd;
      rawHash[nSeries] = rawKeyHash(bytes, keyStart, keyEnd);
      keys.push('');
    } else {
      key += buf.toString('latin1', keyStart, keyEnd);
      rawStart[nSeries] = -1;
      keys.push(key);
    }
    sampleTo[nSeries] = nSamples;
    nSeries++;
  }
  if (scratch) {
    scratch.t = t;
    scratch.vBytes = vBytes;
  }
  return {
    buf,
    seriesCount: nSeries,
    rawStart,
    rawEnd,
    rawHash,
    keys,
    seriesStart,
    seriesEnd,
    sampleFrom,
    sampleTo,
    t,
    v: new Float64Array(vBytes.buffer, 0, sampleCap),
    sampleCount: nSamples,
  };

  // int64 varint as a safe integer; two's complement negatives take 10 bytes.
  function readInt64(limit: number): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b = 0x80;
    for (let k = 0; k < 10 && b >= 0x80; k++) {
      if (pos >= limit) throw new ProtobufError('invalid protobuf: truncated timestamp');
      b = buf[pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
    }
    if (b >= 0x80) throw new ProtobufError('invalid protobuf: timestamp varint longer than 10 bytes');
    const value =
      hi & 0x80000000 ? -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1) : (hi >>> 0) * TWO_32 + (lo >>> 0);
    if (!Number.isSafeInteger(value))
      throw new ProtobufError('invalid sample timestamp: outside the representable range');
    return value;
  }
}

/**
 * The hash of a series' raw key (its label fields' bytes) for the storage's raw-key index; the
 * WebAssembly walk (remote-write.wat) computes the same. A multiply per 4-byte little-endian word,
 * then one per remaining byte, then the high half folded into the low one.
 */
export function rawKeyHash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  let k = start;
  for (; k + 4 <= end; k += 4) {
    const word = bytes[k] | (bytes[k + 1] << 8) | (bytes[k + 2] << 16) | (bytes[k + 3] << 24);
    h = Math.imul(h ^ word, 0x9e3779b1);
  }
  for (; k < end; k++) h = Math.imul(h ^ bytes[k], 0x9e3779b1);
  return h ^ (h >>> 16);
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The sorted labels of series `i`; throws ProtobufError on malformed fields or invalid UTF-8. */
export function decodeSeriesLabels(req: DecodedWriteRequest, i: number): Labels {
  const buf = req.buf;
  let pos = req.seriesStart[i];
  const end = req.seriesEnd[i];
  const out: Label[] = [];
  const varint = (): number => {
    let x = 0;
    let mul = 1;
    while (true) {
      if (pos >= end) throw new ProtobufError('invalid protobuf: truncated varint in labels');
      const b = buf[pos++];
      x += (b & 0x7f) * mul;
      if (b < 0x80) return x;
      mul *= 128;
    }
  };
  while (pos < end) {
    const tag = varint();
    const wire = tag & 7;
    if (tag !== 0x0a) {
      if (wire === 2) {
        const len = varint();
        pos += len;
      } else if (wire === 0) varint();
      else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      continue;
    }
    const labelLen = varint();
    const lEnd = pos + labelLen;
    let name = '';
    let value = '';
    while (pos < lEnd) {
      const ltag = varint();
      if ((ltag & 7) !== 2) throw new ProtobufError('invalid protobuf: label field is not a string');
      const strLen = varint();
      const sEnd = pos + strLen;
      if (sEnd > lEnd) throw new ProtobufError('invalid protobuf: label string overruns its label');
      let s: string;
      try {
        s = utf8.decode(buf.subarray(pos, sEnd));
      } catch {
        throw new ProtobufError('invalid label: not valid UTF-8');
      }
      if (ltag >>> 3 === 1) name = s;
      else if (ltag >>> 3 === 2) value = s;
      pos = sEnd;
    }
    // Prometheus drops empty label values: a label with an empty value is no label.
    if (value !== '') out.push({ name, value });
  }
  return sortLabels(out);
}
