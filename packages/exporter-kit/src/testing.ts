/**
 * Helpers for exporters' tests: render metrics, start on a random port, temp dirs, real programs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { Clock } from './clock.js';
import { type RunningExporter, startExporter } from './exporter.js';
import type { ExporterDefinition } from './exporter-definition.js';
import { silentLogger } from './log.js';
import { findProgram, requireProgram } from './programs.js';

export { ManualClock } from './clock.js';
export {
  freePort,
  LISTENING,
  type StartedProcess,
  startExporterBinary,
  startProcess,
} from './spawn-process.js';
export { findProgram, requireProgram };

/** Renders a prom-client registry to exposition text. */
export async function renderRegistry(registry: Registry): Promise<string> {
  return registry.metrics();
}

/** Starts an exporter in this process on a random loopback port, quietly. */
export async function startOnRandomPort(
  def: ExporterDefinition,
  argv: string[] = [],
  opts: { clock?: Clock; processMetrics?: boolean } = {},
): Promise<RunningExporter & { url: string }> {
  const running = await startExporter(def, ['--web.listen-address=127.0.0.1:0', ...argv], {
    log: silentLogger,
    processMetrics: opts.processMetrics ?? false,
    clock: opts.clock,
  });
  // Object.assign keeps the lazy `registry` getter lazy.
  return Object.assign(running, { url: running.urls[0] });
}

/** A fresh temp directory and a function that removes it. */
export function tempDir(prefix = 'motley-test-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A small exposition parser for assertions (not for production scraping). */
export function parseExposition(text: string): ParsedSample[] {
  const out: ParsedSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      for (let l = re.exec(m[3]); l; l = re.exec(m[3])) {
        labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      }
    }
    const v = m[4];
    out.push({ name: m[1], labels, value: v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v) });
  }
  return out;
}

/** The value of the first sample with this name whose labels include `labels`, or undefined. */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return parseExposition(text).find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

/**
 * Runs `promtool check metrics` on the text. Returns undefined when promtool is absent outside CI
 * (the caller skips), else { ok, output }.
 */
export function promtoolCheckMetrics(text: string): { ok: boolean; output: string } | undefined {
  const promtool = requireProgram('promtool', 'prometheus');
  if (!promtool) return undefined;
  const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}
