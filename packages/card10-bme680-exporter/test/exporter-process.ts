/**
 * The built exporter as a real process on a random port, and helpers to scrape it and wait for
 * what it reports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface ExporterProcess {
  url: string;
  output(): string;
  metrics(): Promise<string>;
  landing(): Promise<string>;
  stop(): Promise<void>;
}

export function startExporterProcess(args: string[]): Promise<ExporterProcess> {
  return new Promise((resolve, reject) => {
    const proc: ChildProcess = spawn(process.execPath, [MAIN, '--web.listen-address=127.0.0.1:0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let ready = false;
    const stop = () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        const kill = setTimeout(() => proc.kill('SIGKILL'), 2000);
        proc.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        proc.kill('SIGTERM');
      });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`exporter did not start: ${out}`));
    }, 10_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /msg=listening address=(\S+)/.exec(out);
      if (m && !ready) {
        ready = true;
        clearTimeout(timer);
        const url = m[1];
        const text = async (path: string) => (await fetch(`${url}${path}`)).text();
        resolve({ url, output: () => out, metrics: () => text('/metrics'), landing: () => text('/'), stop });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`exporter exited with ${code}: ${out}`));
    });
  });
}

/** Polls until `check` returns a value other than undefined, or throws with the last state. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
  describeState: () => Promise<string> | string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${await describeState()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
