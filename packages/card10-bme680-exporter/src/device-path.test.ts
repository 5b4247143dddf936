import { describe, expect, it } from 'vitest';
import { FALLBACK_DEVICE, pickCard10Port, resolveDevicePath } from './device-path.js';

describe('pickCard10Port', () => {
  it('picks the port with the card10 USB id, in any case', () => {
    const ports = [
      { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001' },
      { path: '/dev/ttyACM3', vendorId: '0B6A', productId: '003C' },
    ];
    expect(pickCard10Port(ports)).toBe('/dev/ttyACM3');
    expect(pickCard10Port([{ path: '/dev/ttyS0' }])).toBeUndefined();
  });
});

describe('resolveDevicePath', () => {
  it('prefers the configured device and does not list ports then', async () => {
    let listed = false;
    const path = await resolveDevicePath('/dev/card10', async () => {
      listed = true;
      return [];
    });
    expect(path).toBe('/dev/card10');
    expect(listed).toBe(false);
  });

  it('finds the badge by USB id, else falls back to /dev/ttyACM0, also when listing fails', async () => {
    expect(
      await resolveDevicePath(undefined, async () => [
        { path: '/dev/ttyACM1', vendorId: '0b6a', productId: '003c' },
      ]),
    ).toBe('/dev/ttyACM1');
    expect(await resolveDevicePath(undefined, async () => [])).toBe(FALLBACK_DEVICE);
    expect(
      await resolveDevicePath(undefined, async () => {
        throw new Error('no udev');
      }),
    ).toBe(FALLBACK_DEVICE);
  });
});
