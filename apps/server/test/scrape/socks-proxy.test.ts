import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@motley/exporter-kit';
import { freePort, ManualClock, requireProgram } from '@motley/exporter-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ScrapeManager } from '../../src/scrape/scrape-manager.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import { FakeExporter, values } from './helpers.js';

const sshd = requireProgram('sshd', 'openssh-server');
const ssh = requireProgram('ssh', 'openssh-client');
const keygen = requireProgram('ssh-keygen', 'openssh-client');

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!sshd || !ssh || !keygen)('proxy_url socks5:// through OpenSSH ssh -D', () => {
  let dir: string;
  let sshdProc: ChildProcess;
  let sshProc: ChildProcess;
  let sshLog = '';
  let socksPort: number;
  let exporter: FakeExporter;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'motley-socks-'));
    chmodSync(dir, 0o700);
    execFileSync(keygen as string, ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    execFileSync(keygen as string, ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
    const sshPort = await freePort();
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${sshPort}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'AllowTcpForwarding yes',
        'PermitRootLogin prohibit-password',
        '',
      ].join('\n'),
    );
    execFileSync('mkdir', ['-p', '/run/sshd']);
    sshdProc = spawn(sshd as string, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
    await waitForPort(sshPort);
    socksPort = await freePort();
    sshProc = spawn(
      ssh as string,
      [
        '-vv',
        '-N',
        '-D',
        `127.0.0.1:${socksPort}`,
        '-i',
        join(dir, 'user_key'),
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
        '-o',
        'ExitOnForwardFailure=yes',
        '-o',
        'BatchMode=yes',
        '-p',
        String(sshPort),
        `${userInfo().username}@127.0.0.1`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    sshProc.stderr?.on('data', (d) => {
      sshLog += d;
    });
    await waitForPort(socksPort);
    exporter = await new FakeExporter().start();
    exporter.response = { body: 'behind_nat_metric{x="1"} 42\n' };
  });

  afterAll(async () => {
    sshProc?.kill('SIGTERM');
    sshdProc?.kill('SIGTERM');
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes a target through the SOCKS5 proxy, and fails cleanly when the tunnel is down', async () => {
    const storage = new MemoryStorage();
    const manager = new ScrapeManager({ appendable: storage, clock: new ManualClock(), log: silentLogger });
    try {
      manager.applyConfig(
        parseConfig(
          `scrape_configs:\n  - job_name: nat\n    scrape_interval: 1h\n    proxy_url: socks5://127.0.0.1:${socksPort}\n    static_configs:\n      - targets: ['${exporter.address}']\n        labels: {instance: 'hecate.home:9100'}\n`,
          join(dir, 'p.yml'),
        ),
      );
      const loop = manager.activeTargets()[0].loop;
      await loop.scrapeOnce();
      expect(loop.state.lastError).toBe('');
      expect(values(storage, 'behind_nat_metric')[0].v).toBe(42);
      expect(values(storage, 'up', { instance: 'hecate.home:9100' })[0].v).toBe(1);
      // OpenSSH logged the SOCKS5 request for the exporter's address: the scrape went through it.
      expect(sshLog).toContain(`dynamic request: socks5 host 127.0.0.1 port ${exporter.port} command 1`);

      sshProc.kill('SIGTERM');
      await new Promise((r) => sshProc.once('exit', r));
      await loop.scrapeOnce();
      expect(loop.state.health).toBe('down');
      // A pooled connection may die with the tunnel (reset) or a new one is refused by the gone proxy.
      expect(loop.state.lastError).toMatch(
        /^Get "http:\/\/127\.0\.0\.1:\d+\/metrics": (socks5 proxy 127\.0\.0\.1:\d+: |socket hang up|read ECONNRESET)/,
      );
    } finally {
      await manager.stop();
    }
  });
});
