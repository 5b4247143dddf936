import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScript } from './promql-script.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata');

describe('promqltest scripts', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test'))) {
    it(file, async () => {
      const failures = await runScript(readFileSync(join(dir, file), 'utf8'));
      expect(failures.map((f) => `${file}:${f.line}: ${f.message}`)).toEqual([]);
    });
  }

  it('reports a wrong expectation', async () => {
    const failures = await runScript('load 1m\n  m 1 2\neval instant at 1m m\n  m 3\n');
    expect(failures).toHaveLength(1);
    expect(failures[0].message).toContain('got 2, expected 3');
  });
});
