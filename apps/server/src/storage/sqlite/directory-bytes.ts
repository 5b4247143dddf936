import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes of the files under `dir`, subdirectories included; 0 for a directory that is gone. */
export function directoryBytes(dir: string): number {
  let total = 0;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
    }
  } catch {
    // directory gone: nothing on disk
  }
  return total;
}
