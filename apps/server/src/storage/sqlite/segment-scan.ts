/**
 * The segment rows of many series read as one value: their bytes back to back, plus a directory
 * (series id, row mint, byte range per row) sorted by series id, then time. better-sqlite3 makes
 * a Buffer (an off-heap allocation the garbage collector must track) and an array per row; a
 * query over thousands of series reads them faster and frees them cheaper as one blob.
 */
export interface SegmentScan {
  data: Uint8Array;
  count: number;
  ids: Float64Array;
  mints: Float64Array;
  starts: Float64Array;
  ends: Float64Array;
}

export const EMPTY_SCAN: SegmentScan = {
  data: new Uint8Array(0),
  count: 0,
  ids: new Float64Array(0),
  mints: new Float64Array(0),
  starts: new Float64Array(0),
  ends: new Float64Array(0),
};

/**
 * Builds a scan from the concatenated bytes and a directory text of "id mint length" triples
 * separated by spaces, in the order the rows were concatenated. That order is normally already
 * (id, mint); if not, the directory is sorted (the byte ranges stay valid either way).
 */
export function parseSegmentScan(data: Uint8Array, directory: string): SegmentScan {
  const nums = parseIntegers(directory);
  const count = nums.length / 3;
  if (!Number.isInteger(count)) throw new Error('segment scan directory is malformed');
  const ids = new Float64Array(count);
  const mints = new Float64Array(count);
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  let at = 0;
  let sorted = true;
  for (let i = 0; i < count; i++) {
    ids[i] = nums[3 * i];
    mints[i] = nums[3 * i + 1];
    starts[i] = at;
    at += nums[3 * i + 2];
    ends[i] = at;
    if (i > 0 && (ids[i] < ids[i - 1] || (ids[i] === ids[i - 1] && mints[i] < mints[i - 1]))) sorted = false;
  }
  if (at !== data.length) throw new Error('segment scan directory does not match its bytes');
  const scan = { data, count, ids, mints, starts, ends };
  return sorted ? scan : sortScan(scan);
}

function sortScan(s: SegmentScan): SegmentScan {
  const order = Array.from({ length: s.count }, (_, i) => i);
  order.sort((a, b) => s.ids[a] - s.ids[b] || s.mints[a] - s.mints[b]);
  const pick = (from: Float64Array) => Float64Array.from(order, (i) => from[i]);
  return { ...s, ids: pick(s.ids), mints: pick(s.mints), starts: pick(s.starts), ends: pick(s.ends) };
}

/** Space-separated decimal integers (possibly negative), without a string per number. */
function parseIntegers(text: string): Float64Array {
  let n = text.length > 0 ? 1 : 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 32) n++;
  const out = new Float64Array(n);
  let k = 0;
  let x = 0;
  let negative = false;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c === 32) {
      if (digits === 0) throw new Error('segment scan directory is malformed');
      out[k++] = negative ? -x : x;
      x = 0;
      negative = false;
      digits = 0;
    } else if (c === 45 && digits === 0 && !negative) {
      negative = true;
    } else if (c >= 48 && c <= 57) {
      x = x * 10 + (c - 48);
      digits++;
    } else {
      throw new Error('segment scan directory is malformed');
    }
  }
  return out;
}
