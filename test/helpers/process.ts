import { type ChildProcess, spawn } from 'node:child_process';

export interface Started {
  proc: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** The first capture group of `waitFor` in its output. */
  match: string;
  /** SIGTERM, then SIGKILL after a second; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns a process and waits until its stdout or stderr matches `waitFor` (or it exits, or time runs out). */
export function startProcess(
  cmd: string,
  args: string[],
  opts: { waitFor: RegExp; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<Started> {
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
    const stop = () =>
      new Promise<number | null>((res) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return res(proc.exitCode);
        const kill = setTimeout(() => proc.kill('SIGKILL'), 1000);
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
        resolve({ proc, stderr: () => out, match: m[1] ?? m[0], stop });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => fail(new Error(`${cmd} exited with ${code} before ready: ${out}`)));
    proc.once('error', fail);
  });
}

/** Runs a process to completion, returning its exit code and output. */
export function runProcess(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const proc = spawn(cmd, args, {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => {
      stdout += d;
    });
    proc.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
