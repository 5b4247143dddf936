/**
 * The built exporter as a real process on a random port, and helpers to scrape it and wait for
 * what it reports.
 */
import { fileURLToPath } from 'node:url';
import { startExporterBinary } from '@motley/exporter-kit/testing';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface ExporterProcess {
  url: string;
  output(): string;
  metrics(): Promise<string>;
  landing(): Promise<string>;
  stop(): Promise<void>;
}

export async function startExporterProcess(args: string[]): Promise<ExporterProcess> {
  const started = await startExporterBinary(MAIN, args, { timeoutMs: 10_000 });
  const { url } = started;
  const text = async (path: string) => (await fetch(`${url}${path}`)).text();
  return {
    url,
    output: started.output,
    metrics: () => text('/metrics'),
    landing: () => text('/'),
    stop: async () => {
      await started.stop(2000);
    },
  };
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
