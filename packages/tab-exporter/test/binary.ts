// Starts the built tab-exporter as a real process on a random loopback port.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startExporterBinary } from '@motley/exporter-kit/testing';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface RunningBinary {
  url: string;
  child: ChildProcess;
  stderr(): string;
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export async function startBinary(args: string[], timeoutMs = 15_000): Promise<RunningBinary> {
  const started = await startExporterBinary(MAIN, args, { timeoutMs });
  const { url } = started;
  return {
    url,
    child: started.proc,
    stderr: started.output,
    metrics: async () => {
      const res = await fetch(`${url}/metrics`);
      if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
      return res.text();
    },
    stop: async () => {
      await started.stop();
    },
  };
}

/** Runs the binary to completion (subcommands, bad flags). */
export function runBinary(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 15_000, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
