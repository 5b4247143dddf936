/**
 * Time zone abbreviations ("CET", "EDT") from a TZif file (/etc/localtime), read directly: asking
 * Intl for them loads ICU's time zone data, which costs about 8 MiB of resident memory.
 */
export interface TzifZone {
  /** Transition times (seconds since the epoch), ascending, and the local time type after each. */
  transitions: number[];
  typeOfTransition: number[];
  types: { utoff: number; isdst: boolean; abbr: string }[];
}

const HEADER = 44;

export function parseTzif(buf: Uint8Array): TzifZone {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const readHeader = (at: number) => {
    if (
      buf.length < at + HEADER ||
      String.fromCharCode(buf[at], buf[at + 1], buf[at + 2], buf[at + 3]) !== 'TZif'
    ) {
      throw new Error('not a TZif file');
    }
    const u = (i: number) => view.getUint32(at + 20 + 4 * i);
    return {
      version: buf[at + 4],
      isutcnt: u(0),
      isstdcnt: u(1),
      leapcnt: u(2),
      timecnt: u(3),
      typecnt: u(4),
      charcnt: u(5),
    };
  };
  let h = readHeader(0);
  let at = HEADER;
  let timeSize = 4;
  if (h.version >= 0x32) {
    // Version 2+: skip the 32-bit block; the 64-bit block after it has the full range.
    at += h.timecnt * 5 + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 + h.isstdcnt + h.isutcnt;
    h = readHeader(at);
    at += HEADER;
    timeSize = 8;
  }
  const transitions: number[] = [];
  for (let i = 0; i < h.timecnt; i++) {
    transitions.push(timeSize === 8 ? Number(view.getBigInt64(at + i * 8)) : view.getInt32(at + i * 4));
  }
  at += h.timecnt * timeSize;
  const typeOfTransition = Array.from(buf.subarray(at, at + h.timecnt));
  at += h.timecnt;
  const chars = at + h.typecnt * 6;
  const types = [];
  for (let i = 0; i < h.typecnt; i++) {
    const p = at + i * 6;
    let end = chars + buf[p + 5];
    while (end < chars + h.charcnt && buf[end] !== 0) end++;
    types.push({
      utoff: view.getInt32(p),
      isdst: buf[p + 4] === 1,
      abbr: String.fromCharCode(...buf.subarray(chars + buf[p + 5], end)),
    });
  }
  if (buf.length < chars + h.charcnt) throw new Error('truncated TZif file');
  return { transitions, typeOfTransition, types };
}

/**
 * The abbreviation for a UTC offset (seconds east) at a time: the most recent use of that offset,
 * so New York at -4 h is "EDT" (not the wartime "EWT" that shares the offset).
 */
export function abbreviationFor(zone: TzifZone | undefined, utoff: number, atSeconds: number): string {
  if (zone) {
    for (let i = zone.transitions.length - 1; i >= 0; i--) {
      if (zone.transitions[i] > atSeconds) continue;
      const t = zone.types[zone.typeOfTransition[i]];
      if (t?.utoff === utoff) return t.abbr;
    }
    const any = zone.types.filter((t) => t.utoff === utoff).pop();
    if (any) return any.abbr;
  }
  if (utoff === 0) return 'UTC';
  const abs = Math.abs(utoff) / 60;
  return `${utoff < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}
