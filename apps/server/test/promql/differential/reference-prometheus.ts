import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@motley/exporter-kit/testing';

/** A throwaway Prometheus (the Debian binary) with the remote-write receiver, in a temp dir. */
export class ReferencePrometheus {
  private child?: ChildProcess;
  private dir = '';
  private log = '';
  base = '';

  constructor(private readonly binary: string) {}

  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'promql-diff-'));
    writeFileSync(join(this.dir, 'prometheus.yml'), 'global: {}\n');
    const port = await freePort();
    this.base = `http://127.0.0.1:${port}`;
    this.child = spawn(
      this.binary,
      [
        `--config.file=${join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-remote-write-receiver',
        '--storage.tsdb.retention.time=100y',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child.stderr?.on('data', (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-4000);
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.base}/-/ready`)).ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`prometheus did not become ready: ${this.log}`);
  }

  async remoteWrite(body: Uint8Array): Promise<void> {
    const res = await fetch(`${this.base}/api/v1/write`, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/x-protobuf',
        'Content-Encoding': 'snappy',
        'X-Prometheus-Remote-Write-Version': '0.1.0',
      },
    });
    if (res.status >= 300) throw new Error(`remote write: ${res.status} ${await res.text()}`);
  }

  async api(path: string, params: Record<string, string>): Promise<unknown> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      body: new URLSearchParams(params),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    return res.json();
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((r) => this.child!.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
