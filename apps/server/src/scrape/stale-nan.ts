/**
 * Prometheus' staleness marker: a NaN with the payload 0x7ff0000000000002, distinct from the
 * ordinary NaN a target may expose. Compare bits, never values (NaN !== NaN).
 */
const bits = new Float64Array(1);
const asBits = new BigUint64Array(bits.buffer);

export const STALE_NAN_BITS = 0x7ff0000000000002n;

export const STALE_NAN: number = (() => {
  asBits[0] = STALE_NAN_BITS;
  return bits[0];
})();

export function isStaleNaN(v: number): boolean {
  bits[0] = v;
  return asBits[0] === STALE_NAN_BITS;
}
