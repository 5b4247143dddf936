import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of an executable on PATH (or in /usr/sbin, /sbin), or undefined. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {}
  }
  return undefined;
}

/**
 * For tests that need a real program from Debian: its path, or undefined after printing why the
 * test is skipped. Under CI=true a missing program is an error, so CI cannot pass by skipping.
 */
export function requireProgram(name: string, debianPackage = name): string | undefined {
  const path = findProgram(name);
  if (path) return path;
  const msg = `${name} not found: install the Debian package ${debianPackage} (apt-get install -y ${debianPackage})`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI requires it`);
  process.stderr.write(`skipping: ${msg}\n`);
  return undefined;
}
