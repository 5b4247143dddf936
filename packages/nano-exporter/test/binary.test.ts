import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExposition, startExporterBinary } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, PACKAGE_DIR } from './support.js';

/** The built bin as a user runs it (build first: pnpm --filter @motley/nano-exporter build). */
const MAIN = join(PACKAGE_DIR, 'dist/main.cjs');
/** The V8 flags of the README's systemd unit (checked below): the server test runs what we ship. */
const SHIPPED_NODE_FLAGS = [
  '--max-semi-space-size=1',
  '--max-opt=1',
  '--optimize-for-size',
  '--no-icu-timezone-data',
  '--no-node-snapshot',
  '--v8-pool-size=1',
  '--single-threaded-gc',
  '--no-expose-wasm',
  '--expose-gc',
];
const FIXTURE_ARGS = [`--path.procfs=${FIXTURES}/proc`, `--path.sysfs=${FIXTURES}/sys`];

function run(args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 15_000 });
}

describe.skipIf(!existsSync(MAIN))('the nano-exporter binary', () => {
  let child: ChildProcess;
  let base = '';
  let exit: Promise<number | null>;
  beforeAll(async () => {
    const started = await startExporterBinary(MAIN, FIXTURE_ARGS, { nodeFlags: SHIPPED_NODE_FLAGS });
    child = started.proc;
    base = started.url;
    exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves metrics with every default collector', async () => {
    const samples = parseExposition(await (await fetch(`${base}/metrics`)).text());
    const collectors = samples
      .filter((s) => s.name === 'node_scrape_collector_success')
      .map((s) => s.labels.collector);
    expect(collectors).toContain('filesystem');
    expect(collectors).toHaveLength(29);
    expect(samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
  });

  it('runs only the collectors named in collect[]', async () => {
    const text = await (await fetch(`${base}/metrics?collect[]=cpu&collect[]=loadavg`)).text();
    const collectors = parseExposition(text)
      .filter((s) => s.name === 'node_scrape_collector_success')
      .map((s) => s.labels.collector);
    expect(collectors).toEqual(['cpu', 'loadavg']);
    expect(text).not.toContain('node_memory_');
  });

  it('lists its collectors on the landing page', async () => {
    expect(await (await fetch(`${base}/`)).text()).toContain('Collectors: arp, conntrack, cpu, cpufreq');
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});

describe('the systemd unit in the README', () => {
  it('starts node with exactly the V8 flags these tests run', () => {
    const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
    // ExecStart=/usr/bin/node <flags...> /usr/lib/.../dist/main.cjs <exporter flags...>, over
    // backslash-continued lines.
    const execStart = /^\s*ExecStart=((?:.*\\\n)*.*)$/m.exec(readme)?.[1];
    expect(execStart).toBeDefined();
    const words = (execStart ?? '').replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);
    const nodeFlags = words.slice(
      1,
      words.findIndex((w) => w.endsWith('main.cjs')),
    );
    expect(nodeFlags).toEqual(SHIPPED_NODE_FLAGS);
  });
});

describe.skipIf(!existsSync(MAIN))('the nano-exporter command line', () => {
  it('prints its collector flags in --help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--collector.filesystem.mount-points-exclude');
    expect(r.stdout).toContain('--path.procfs');
  });

  it('turns collectors off and on, and --collector.disable-defaults', () => {
    const r = run([
      ...FIXTURE_ARGS,
      '--stdout',
      '--collector.disable-defaults',
      '--collector.loadavg',
      '--collector.meminfo',
    ]);
    expect(r.status).toBe(0);
    const collectors = [...r.stdout.matchAll(/^node_scrape_collector_success\{collector="(\w+)"\}/gm)].map(
      (m) => m[1],
    );
    expect(collectors).toEqual(['loadavg', 'meminfo']);
    const off = run([...FIXTURE_ARGS, '--stdout', '--no-collector.cpu', '--no-collector.filesystem']);
    expect(off.stdout).not.toContain('collector="cpu"');
    expect(off.stdout).toContain('collector="meminfo"');
  });

  it('refuses bad flags with one line and exit code 2', () => {
    const unknown = run(['--collector.nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual([
      'nano-exporter: error: unknown flag --collector.nope (see --help)',
    ]);
    const regex = run(['--collector.diskstats.device-exclude=(']);
    expect(regex.status).toBe(2);
    expect(regex.stderr.trim().split('\n')).toHaveLength(1);
    expect(regex.stderr).toContain('--collector.diskstats.device-exclude: invalid regular expression "("');
    const both = run(['--collector.netdev.device-include=^eth', '--collector.netdev.device-exclude=^lo$']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('mutually exclusive');
  });
});
