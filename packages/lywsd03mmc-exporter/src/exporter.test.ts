import { startOnRandomPort } from '@motley/exporter-kit/testing';
import { describe, expect, it } from 'vitest';
import { createDefinition } from './exporter.js';

const unused = () => {
  throw new Error('Bluetooth is not needed for this test');
};

describe('exporter flags', () => {
  it('rejects nonsense with one clear line', async () => {
    const start = (argv: string[]) => startOnRandomPort(createDefinition({ loadNoble: unused }), argv);
    await expect(start(['--bluetooth.retry-interval=0'])).rejects.toThrow(
      '--bluetooth.retry-interval must be longer than 0',
    );
    await expect(start(['--expiry.bthome=0'])).rejects.toThrow('--expiry.bthome must be longer than 0');
    await expect(start(['--gatt.poll-interval=soon'])).rejects.toThrow(
      /--gatt.poll-interval: not a valid duration/,
    );
    await expect(start(['A4:C1:38:12:34'])).rejects.toThrow('"A4:C1:38:12:34" is not a MAC address to poll');
    await expect(start(['-k', '/nonexistent/keys'])).rejects.toThrow(
      'cannot read /nonexistent/keys: no such file',
    );
  });

  it("accepts the Go exporter's -k, -i and MAC arguments", async () => {
    const running = await startOnRandomPort(createDefinition({ loadNoble: unused }), [
      '-i',
      '1',
      'a4c138123456',
    ]);
    try {
      const text = await (await fetch(`${running.url}/metrics`)).text();
      expect(text).toContain('thermometer_bluetooth_up{adapter="hci1"} 0');
      expect(text).toContain('thermometer_gatt_polls_total{mac="A4C138123456",result="ok"} 0');
    } finally {
      await running.stop();
    }
  });
});
