// Compiles the remote write WebAssembly text with wabt (used by compile-wat.mjs and its test).
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

export async function compileRemoteWriteWat() {
  const source = new URL('../src/remote/remote-write.wat', import.meta.url);
  const wabt = await wabtInit();
  const module = wabt.parseWat('remote-write.wat', readFileSync(source, 'utf8'), { bulk_memory: true });
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
