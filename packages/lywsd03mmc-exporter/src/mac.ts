/**
 * MAC addresses as the anchor exporter labels them: 12 uppercase hex digits, no colons.
 * Users write them with or without colons, dashes and in any case; everything is normalised here.
 */
export function normalizeMac(text: string): string | undefined {
  const hex = text.replace(/[:\-.\s]/g, '').toUpperCase();
  return /^[0-9A-F]{12}$/.test(hex) ? hex : undefined;
}

/** The MAC as written in an advert, first byte = most significant (ATC1441 order). */
export function macFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/** The MAC stored least significant byte first (pvvx custom, MiBeacon). */
export function macFromReversedBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes).reverse().toString('hex').toUpperCase();
}

/** "A4C138010203" -> bytes in display order. */
export function macToBytes(mac: string): Buffer {
  return Buffer.from(mac, 'hex');
}
