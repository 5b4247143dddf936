/**
 * The byte pipe to the badge. The session only needs write, data, close and an end notice, so a
 * serial port and a test double look the same to it.
 */
import { oneLine } from '@motley/exporter-kit';
import { SerialPort } from 'serialport';

export interface SerialLink {
  write(data: string): void;
  /** Called for every chunk the device sends. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the link ends on its own (unplugged, I/O error), not after close(). */
  onEnd(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

export type OpenLink = (path: string, baudRate: number) => Promise<SerialLink>;

/** Why opening failed, phrased so the user knows what to do. */
export function explainOpenError(path: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/ENOENT|No such file|cannot open/i.test(msg) && !/EACCES|Permission/i.test(msg)) {
    return `${path}: no such device (is the card10 plugged in and switched on? set --serial.device)`;
  }
  if (/EACCES|Permission denied/i.test(msg)) {
    return `${path}: permission denied (add the user to the dialout group or install the udev rule from the README)`;
  }
  if (/EBUSY|Resource busy|lock/i.test(msg)) {
    return `${path}: busy (another program such as screen or mpremote holds the port)`;
  }
  return `${path}: ${oneLine(err)}`;
}

/** Opens a real serial port (8N1, no flow control; the card10 is a USB CDC-ACM device). */
export const openSerialPort: OpenLink = (path, baudRate) =>
  new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false, lock: true });
    port.open((err) => {
      if (err) {
        reject(new Error(explainOpenError(path, err)));
        return;
      }
      let closing = false;
      let ended = false;
      const endListeners: ((reason: string) => void)[] = [];
      const end = (reason: string) => {
        if (closing || ended) return;
        ended = true;
        for (const l of endListeners) l(reason);
      };
      port.on('close', (e?: { disconnected?: boolean; message?: string }) =>
        end(e?.disconnected ? 'device disconnected' : `port closed${e?.message ? `: ${e.message}` : ''}`),
      );
      port.on('error', (e: Error) => end(`serial error: ${e.message}`));
      resolve({
        write: (data) => {
          if (port.isOpen) port.write(data);
        },
        onData: (listener) => port.on('data', listener),
        onEnd: (listener) => endListeners.push(listener),
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            if (!port.isOpen) return done();
            port.close(() => done());
          }),
      });
    });
  });
