import { describe, expect, it } from 'vitest';
import { explainOpenError, openSerialPort } from './serial-link.js';

describe('explainOpenError', () => {
  it.each([
    [
      'Error: No such file or directory, cannot open /dev/ttyACM0',
      /no such device \(is the card10 plugged in/,
    ],
    [
      'Error: Permission denied, cannot open /dev/ttyACM0',
      /permission denied \(add the user to the dialout group/,
    ],
    ['Error Resource temporarily unavailable Cannot lock port', /busy \(another program/],
    ['Error: Something\nelse', /^\/dev\/ttyACM0: Error: Something else$/],
  ])('turns %j into advice', (message, advice) => {
    expect(explainOpenError('/dev/ttyACM0', new Error(message))).toMatch(advice);
  });
});

describe('openSerialPort', () => {
  it('rejects a missing device with the advice, on one line', async () => {
    await expect(openSerialPort('/nonexistent/card10', 115200)).rejects.toThrow(
      /^\/nonexistent\/card10: no such device \(is the card10 plugged in and switched on\? set --serial.device\)$/,
    );
  });
});
