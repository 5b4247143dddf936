import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A process started by startProcess, once its output matched. */
export interface StartedProcess {
  proc: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The first capture group of `waitFor` in its output (the whole match without one). */
  match: string;
  /** SIGTERM, then SIGKILL after `killAfterMs`; resolves with the exit code. */
  stop(killAfterMs?: number): Promise<number | null>;
}

/**
 * Spawns a process and waits until its stdout or stderr matches `waitFor`; rejects (and kills it)
 * if it exits first or time runs out, with its output in the message.
 */
export function startProcess(
  cmd: string,
  args: string[],
  opts: { waitFor: RegExp; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<StartedProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, {
      env: { ...process.env, ...opts.env },
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let done = false;
    const timer = setTimeout(
      () => fail(new Error(`timed out waiting for ${opts.waitFor} from ${cmd}; output: ${out}`)),
      opts.timeoutMs ?? 15_000,
    );
    const fail = (e: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(e);
    };
    const stop = (killAfterMs = 1000) =>
      new Promise<number | null>((res) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return res(proc.exitCode);
        const kill = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
        proc.once('exit', (code) => {
          clearTimeout(kill);
          res(code);
        });
        proc.kill('SIGTERM');
      });
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = opts.waitFor.exec(out);
      if (m && !done) {
        done = true;
        clearTimeout(timer);
        resolve({ proc, output: () => out, match: m[1] ?? m[0], stop });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => fail(new Error(`${cmd} exited with ${code} before it was ready: ${out}`)));
    proc.once('error', fail);
  });
}

/** What an exporter logs once it listens; the address is the first capture group. */
export const LISTENING = /msg=listening address=(https?:\/\/[^\s,]+)/;

/**
 * Starts a built exporter (`main`, a dist file) as a real process on a random loopback port and
 * resolves with its base URL once it logs that it listens.
 */
export async function startExporterBinary(
  main: string,
  args: string[],
  opts: { nodeFlags?: string[]; listen?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<StartedProcess & { url: string }> {
  const listen = opts.listen === false ? [] : ['--web.listen-address=127.0.0.1:0'];
  const started = await startProcess(
    process.execPath,
    [...(opts.nodeFlags ?? []), main, ...listen, ...args],
    {
      waitFor: LISTENING,
      timeoutMs: opts.timeoutMs,
      env: opts.env,
    },
  );
  return { ...started, url: started.match };
}

/** A loopback TCP port that was free a moment ago, for programs that need a port number up front. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
