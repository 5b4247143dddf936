import { writeFileSync } from 'node:fs';
import { tempDir } from '@motley/exporter-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { readTextfiles } from './textfile.js';

const tmp = tempDir('nano-textfile-');
afterAll(() => tmp.cleanup());

describe('readTextfiles', () => {
  it('skips a file that repeats a series, within itself or from an earlier file', () => {
    writeFileSync(`${tmp.path}/a.prom`, 'job_ok{job="a"} 1\njob_ok{job="b"} 1\n');
    writeFileSync(`${tmp.path}/b.prom`, 'job_ok{job="a"} 2\n');
    writeFileSync(`${tmp.path}/c.prom`, 'other 1\nother 2\n');
    writeFileSync(`${tmp.path}/d.prom`, 'job_ok{job="d"} 1\n');
    const r = readTextfiles(tmp.path);
    expect(r.errors).toEqual([
      `${tmp.path}/b.prom: series job_ok{job=a} appears twice`,
      `${tmp.path}/c.prom: series other appears twice`,
    ]);
    expect(r.mtimes.map((m) => m.file)).toEqual([`${tmp.path}/a.prom`, `${tmp.path}/d.prom`]);
    expect(r.families.map((f) => [f.name, f.samples.map((s) => s.labels?.job)])).toEqual([
      ['job_ok', ['a', 'b', 'd']],
    ]);
  });
});
