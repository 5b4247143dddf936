#!/usr/bin/env node
// Runs the whole vitest suite once and prints a plain "N passed, N failed, N skipped" line at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-results.json';
rmSync(out, { force: true });
const r = spawnSync(
  'pnpm',
  [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
if (!existsSync(out)) {
  console.log('0 passed, 1 failed');
  console.error('vitest wrote no results (did it crash?)');
  process.exit(r.status || 1);
}
const res = JSON.parse(readFileSync(out, 'utf8'));
const failedSuites = res.testResults.filter(
  (f) => f.status === 'failed' && f.assertionResults.length === 0,
).length;
const failed = res.numFailedTests + failedSuites;
console.log(
  `${res.numPassedTests} passed, ${failed} failed, ${res.numPendingTests + res.numTodoTests} skipped`,
);
process.exit(failed > 0 || r.status !== 0 ? 1 : 0);
