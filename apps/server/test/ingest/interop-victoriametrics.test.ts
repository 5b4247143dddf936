import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireProgram } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteWrite, type ServerProcess, startServerProcess, waitFor } from './helpers.js';

const victoriaMetrics = requireProgram('victoria-metrics');

/** Data moves between VictoriaMetrics and motley in VictoriaMetrics' own JSON lines format. */
describe.skipIf(!victoriaMetrics)('export and import with VictoriaMetrics 1.79 (interop)', () => {
  let dir: string;
  let server: ServerProcess;
  let vm: ChildProcess;
  let vmUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motley-interop-vm-'));
    server = await startServerProcess(join(dir, 'motley'));
    const port = await freePort();
    vmUrl = `http://127.0.0.1:${port}`;
    vm = spawn(
      victoriaMetrics as string,
      [
        `-storageDataPath=${join(dir, 'vm')}`,
        `-httpListenAddr=127.0.0.1:${port}`,
        '-loggerLevel=ERROR',
        '-search.latencyOffset=0s',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('VictoriaMetrics', async () => ((await fetch(`${vmUrl}/health`)).ok ? true : undefined));
  });
  afterAll(async () => {
    if (vm && vm.exitCode === null) {
      const exited = new Promise((r) => vm.once('exit', r));
      vm.kill('SIGKILL');
      await exited;
    }
    await server?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it('our export imports into VictoriaMetrics, and its export imports back unchanged', async () => {
    const now = Date.now() - 600_000;
    const values = [0, 1.5, -2.25, 1e-9, 123456789.125, 42];
    expect(
      (
        await remoteWrite(server.url, [
          {
            labels: { __name__: 'vm_roundtrip', host: 'a' },
            samples: values.map((v, i) => [now + i * 15_000, v]),
          },
          { labels: { __name__: 'vm_roundtrip', host: 'b' }, samples: [[now, 7]] },
        ])
      ).status,
    ).toBe(204);
    const ours = await (await fetch(`${server.url}/api/v1/export?match[]=vm_roundtrip`)).text();
    expect((await fetch(`${vmUrl}/api/v1/import`, { method: 'POST', body: ours })).status).toBe(204);
    await fetch(`${vmUrl}/internal/force_flush`);
    const fromVm = await waitFor('VictoriaMetrics to export both series', async () => {
      const text = await (await fetch(`${vmUrl}/api/v1/export?match[]=vm_roundtrip`)).text();
      return text.trim().split('\n').length === 2 ? text : undefined;
    });
    const parse = (text: string) =>
      text
        .trim()
        .split('\n')
        .map(
          (l) => JSON.parse(l) as { metric: Record<string, string>; values: number[]; timestamps: number[] },
        )
        .sort((x, y) => (x.metric.host < y.metric.host ? -1 : 1));
    expect(parse(fromVm)).toEqual(parse(ours));
    // And back: a fresh name so that the import is not merged with what is already stored.
    const renamed = fromVm.replaceAll('"vm_roundtrip"', '"vm_roundtrip_back"');
    expect((await fetch(`${server.url}/api/v1/import`, { method: 'POST', body: renamed })).status).toBe(204);
    const back = await (await fetch(`${server.url}/api/v1/export?match[]=vm_roundtrip_back`)).text();
    expect(parse(back).map((s) => ({ ...s, metric: { ...s.metric, __name__: 'vm_roundtrip' } }))).toEqual(
      parse(ours),
    );
  });
});
