/**
 * A real PTY pair from socat: whatever is written to one end comes out of the other, like a USB
 * serial cable with the card10 on the far side.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface PtyPair {
  /** The end the exporter opens. */
  host: string;
  /** The end the fake card10 opens. */
  board: string;
  /** Kills socat: both ends vanish, as when the badge is unplugged. */
  kill(): Promise<void>;
}

export function openPtyPair(socat: string): Promise<PtyPair> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(socat, ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`socat did not report two PTYs: ${err}`));
    }, 5000);
    const kill = () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
      });
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const paths = [...err.matchAll(/PTY is (\S+)/g)].map((m) => m[1]);
      // Wait for the transfer loop too: before it starts, bytes written to one end are lost.
      if (paths.length === 2 && /starting data transfer loop/.test(err)) {
        clearTimeout(timer);
        resolve({ host: paths[0], board: paths[1], kill });
      }
    });
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
