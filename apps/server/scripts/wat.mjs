// Compiles the snappy decoder's WebAssembly text with wabt (used by compile-wat.mjs and its test).
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

export async function compileSnappyWat() {
  const source = new URL('../src/remote/snappy.wat', import.meta.url);
  const wabt = await wabtInit();
  const module = wabt.parseWat('snappy.wat', readFileSync(source, 'utf8'), { bulk_memory: true });
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
