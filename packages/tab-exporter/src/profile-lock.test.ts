import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@motley/exporter-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLockTarget, profileLockedByLiveFirefox } from './profile-lock.js';

describe('parseLockTarget', () => {
  it.each([
    ['127.0.1.1:+4242', { host: '127.0.1.1', pid: 4242 }],
    ['::1:+7', { host: '::1', pid: 7 }],
    ['127.0.0.1:+0', undefined],
    ['127.0.0.1:4242', undefined],
    ['', undefined],
  ])('%j', (target, expected) => {
    expect(parseLockTarget(target)).toEqual(expected);
  });
});

describe('profileLockedByLiveFirefox', () => {
  const tmp = tempDir('tab-lock-');
  // A real process whose name we control through a fake procfs.
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  afterAll(() => {
    child.kill('SIGKILL');
    tmp.cleanup();
  });

  function profileWithLock(name: string, target: string | undefined): string {
    const dir = join(tmp.path, name);
    mkdirSync(dir);
    if (target !== undefined) symlinkSync(target, join(dir, 'lock'));
    return dir;
  }
  function fakeProc(name: string, pid: number, comm: string): string {
    const proc = join(tmp.path, name);
    mkdirSync(join(proc, String(pid)), { recursive: true });
    writeFileSync(join(proc, String(pid), 'comm'), `${comm}\n`);
    return proc;
  }

  it('no lock: not held', async () => {
    expect(await profileLockedByLiveFirefox(profileWithLock('none', undefined))).toBe(false);
  });

  it('a lock whose process is Firefox: held', async () => {
    const dir = profileWithLock('live', `127.0.0.1:+${child.pid}`);
    expect(await profileLockedByLiveFirefox(dir, fakeProc('proc-ff', child.pid!, 'firefox-esr'))).toBe(true);
  });

  it('a lock whose PID now belongs to another program: stale', async () => {
    const dir = profileWithLock('reused', `127.0.0.1:+${child.pid}`);
    expect(await profileLockedByLiveFirefox(dir, fakeProc('proc-other', child.pid!, 'node'))).toBe(false);
    // The real /proc says this child is node, not Firefox.
    expect(await profileLockedByLiveFirefox(dir)).toBe(false);
  });

  it('a lock left by a crashed Firefox (no such process): stale', async () => {
    const dir = profileWithLock('crashed', '127.0.0.1:+2147483646');
    expect(await profileLockedByLiveFirefox(dir)).toBe(false);
  });

  it('without procfs a live PID is enough', async () => {
    const dir = profileWithLock('noproc', `127.0.0.1:+${child.pid}`);
    expect(await profileLockedByLiveFirefox(dir, join(tmp.path, 'no-such-procfs'))).toBe(true);
  });
});
