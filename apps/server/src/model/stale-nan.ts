/**
 * Prometheus' staleness marker: a NaN with the payload 0x7ff0000000000002, distinct from the
 * ordinary NaN a target may expose. Compare bits, never values (NaN !== NaN).
 */
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

export const STALE_NAN: number = (() => {
  words[0] = 2;
  words[1] = 0x7ff00000;
  return bits[0];
})();

export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  bits[0] = v;
  return words[0] === 2 && words[1] === 0x7ff00000;
}
