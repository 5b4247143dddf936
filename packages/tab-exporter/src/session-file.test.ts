import { mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@motley/exporter-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMozLz4 } from './mozlz4.js';
import { SessionFileReader } from './session-file.js';

const tmp = tempDir('tab-session-');
afterAll(() => tmp.cleanup());

function sessionBytes(tabsPerWindow: number[]): Uint8Array {
  const session = {
    windows: tabsPerWindow.map((n) => ({ tabs: Array.from({ length: n }, () => ({ entries: [] })) })),
  };
  return encodeMozLz4(new TextEncoder().encode(JSON.stringify(session)));
}

let profiles = 0;
function newProfile(): string {
  const dir = join(tmp.path, `p${++profiles}`);
  mkdirSync(join(dir, 'sessionstore-backups'), { recursive: true });
  return dir;
}

/** Replaces a file the way Firefox does: write elsewhere, rename over it. */
function replaceFile(path: string, bytes: Uint8Array, mtimeSeconds?: number): void {
  writeFileSync(`${path}.tmp`, bytes);
  if (mtimeSeconds !== undefined) utimesSync(`${path}.tmp`, mtimeSeconds, mtimeSeconds);
  renameSync(`${path}.tmp`, path);
}

describe('SessionFileReader', () => {
  it('decodes once per version of the file', async () => {
    const dir = newProfile();
    const recovery = join(dir, 'sessionstore-backups/recovery.jsonlz4');
    replaceFile(recovery, sessionBytes([2, 1]));
    const reader = new SessionFileReader({ maxDecodedBytes: 1 << 20 });
    const first = await reader.read(dir);
    expect(first).toMatchObject({ counts: { tabs: 3, windows: 2 }, decodes: 1, file: { path: recovery } });
    expect((await reader.read(dir)).decodes).toBe(1);
    expect((await reader.read(dir)).counts?.tabs).toBe(3);
    replaceFile(recovery, sessionBytes([2, 1, 4]));
    const third = await reader.read(dir);
    expect(third).toMatchObject({ counts: { tabs: 7, windows: 3 }, decodes: 2 });
  });

  it('uses sessionstore.jsonlz4 when there is no recovery file, and the newer of the two', async () => {
    const dir = newProfile();
    const reader = new SessionFileReader({ maxDecodedBytes: 1 << 20 });
    replaceFile(join(dir, 'sessionstore.jsonlz4'), sessionBytes([5]), 2_000_000);
    expect((await reader.read(dir)).counts?.tabs).toBe(5);
    replaceFile(join(dir, 'sessionstore-backups/recovery.jsonlz4'), sessionBytes([1]), 1_000_000);
    expect((await reader.read(dir)).counts?.tabs).toBe(5);
    replaceFile(join(dir, 'sessionstore-backups/recovery.jsonlz4'), sessionBytes([1]), 3_000_000);
    expect((await reader.read(dir)).counts?.tabs).toBe(1);
  });

  it('a profile without a session file has no counts and no error', async () => {
    const reader = new SessionFileReader({ maxDecodedBytes: 1 << 20 });
    expect(await reader.read(newProfile())).toEqual({ decodes: 0 });
    expect(await reader.read(join(tmp.path, 'no-such-profile'))).toEqual({ decodes: 0 });
  });

  it('a corrupt file: one-line error naming the file, reported once, no counts; recovery afterwards', async () => {
    const dir = newProfile();
    const recovery = join(dir, 'sessionstore-backups/recovery.jsonlz4');
    const errors: string[] = [];
    const reader = new SessionFileReader({ maxDecodedBytes: 1 << 20, onError: (_d, m) => errors.push(m) });
    const good = sessionBytes([3]);
    replaceFile(recovery, good.subarray(0, good.length - 3));
    const bad = await reader.read(dir);
    expect(bad.counts).toBeUndefined();
    expect(bad.error).toBe(`${recovery}: corrupt LZ4 block: literals run past the end of the file`);
    expect(bad.file?.path).toBe(recovery);
    await reader.read(dir);
    expect(errors).toHaveLength(1);
    expect(bad.decodes).toBe(1);
    replaceFile(recovery, good);
    const fixed = await reader.read(dir);
    expect(fixed.error).toBeUndefined();
    expect(fixed.counts?.tabs).toBe(3);
  });

  it('valid mozlz4 that is not a session, and a file over the cap', async () => {
    const dir = newProfile();
    const recovery = join(dir, 'sessionstore-backups/recovery.jsonlz4');
    replaceFile(recovery, encodeMozLz4(new TextEncoder().encode('{"version":1}')));
    const reader = new SessionFileReader({ maxDecodedBytes: 1000 });
    expect((await reader.read(dir)).error).toMatch(/no "windows" list/);
    replaceFile(recovery, new Uint8Array(9000));
    expect((await reader.read(dir)).error).toMatch(/file is 9000 bytes, over the limit/);
  });

  it('profiles read at the same time keep their own counts (one shared decode buffer)', async () => {
    const dirs = [newProfile(), newProfile(), newProfile()];
    for (const [i, dir] of dirs.entries()) {
      replaceFile(join(dir, 'sessionstore-backups/recovery.jsonlz4'), sessionBytes([40 * (3 - i), i]));
    }
    const reader = new SessionFileReader({ maxDecodedBytes: 1 << 20 });
    const states = await Promise.all(dirs.map((dir) => reader.read(dir)));
    expect(states.map((s) => s.counts?.tabs)).toEqual([120, 81, 42]);
  });

  it('retain forgets profiles that went away', async () => {
    const dir = newProfile();
    replaceFile(join(dir, 'sessionstore-backups/recovery.jsonlz4'), sessionBytes([1]));
    const reader = new SessionFileReader({ maxDecodedBytes: 1 << 20 });
    await reader.read(dir);
    await reader.read(newProfile());
    expect(reader.trackedProfiles).toBe(2);
    reader.retain([dir]);
    expect(reader.trackedProfiles).toBe(1);
    reader.retain([]);
    expect(reader.trackedProfiles).toBe(0);
  });
});
