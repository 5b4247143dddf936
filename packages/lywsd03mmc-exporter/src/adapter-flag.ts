import { UsageError } from '@motley/exporter-kit';

/** "hci0", "hci1" or "1" -> adapter number. */
export function parseAdapter(text: string): number {
  const m = /^(?:hci)?(\d{1,3})$/.exec(text.trim());
  if (!m) throw new UsageError(`--bluetooth.adapter: expected hciN (e.g. hci0), got "${text}"`);
  return Number(m[1]);
}
