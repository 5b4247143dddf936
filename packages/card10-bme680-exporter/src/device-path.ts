/**
 * Which serial device is the card10: the one the user named, else the port with the card10's USB
 * id (0b6a:003c), else /dev/ttyACM0. Looked up again on every connection attempt, because a
 * replugged badge may come back under another name.
 */
import { SerialPort } from 'serialport';

export const CARD10_VENDOR_ID = '0b6a';
export const CARD10_PRODUCT_ID = '003c';
export const FALLBACK_DEVICE = '/dev/ttyACM0';

export interface PortListing {
  path: string;
  vendorId?: string;
  productId?: string;
}

/** The first listed port with the card10's USB id, or undefined. */
export function pickCard10Port(ports: readonly PortListing[]): string | undefined {
  return ports.find(
    (p) => p.vendorId?.toLowerCase() === CARD10_VENDOR_ID && p.productId?.toLowerCase() === CARD10_PRODUCT_ID,
  )?.path;
}

export type ListPorts = () => Promise<PortListing[]>;

/** Resolves the device to open; `configured` wins when given. */
export async function resolveDevicePath(
  configured: string | undefined,
  listPorts: ListPorts = () => SerialPort.list(),
): Promise<string> {
  if (configured) return configured;
  try {
    return pickCard10Port(await listPorts()) ?? FALLBACK_DEVICE;
  } catch {
    // Listing needs udev/sysfs; without it the usual name is still worth a try.
    return FALLBACK_DEVICE;
  }
}
