import { REMOTE_WRITE_WASM_BASE64 } from './remote-write-wasm.js';

/** The exports of remote-write.wat (see that file for what each function expects). */
export interface RemoteWriteModule {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  snappy(ip: number, end: number, op: number, outEnd: number): number;
  walk(
    p: number,
    end: number,
    arrays: number,
    capS: number,
    tOut: number,
    vOut: number,
    capN: number,
  ): number;
  readonly samples: { readonly value: number };
}

/** The part of the WebAssembly global used here (the project's lib settings do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Bytes the module may touch past the end of a buffer it reads or writes (see remote-write.wat). */
export const SPARE_BYTES = 16;
const PAGE = 65536;
/** Memory an instance keeps between requests; after a larger one the next starts afresh. */
const KEEP_BYTES = 32 * 1024 * 1024;
/** The module addresses its memory with 32-bit offsets and returns lengths as signed 32-bit. */
export const MAX_MODULE_BYTES = 2 ** 31 - 2 * PAGE;

const compiled = new wasmApi.Module(Buffer.from(REMOTE_WRITE_WASM_BASE64, 'base64'));
let current: RemoteWriteModule | undefined;

/**
 * The instance to decode the next request with: the one in use, unless a large request grew its
 * memory past KEEP_BYTES (WebAssembly memory never shrinks; the garbage collector frees the old one).
 */
export function remoteWriteModule(): RemoteWriteModule {
  if (!current || current.memory.buffer.byteLength > KEEP_BYTES) {
    current = new wasmApi.Instance(compiled).exports as RemoteWriteModule;
  }
  return current;
}

/** Grows the module's memory to at least `bytes`; views of the old memory become empty. */
export function ensureMemory(module: RemoteWriteModule, bytes: number): void {
  const have = module.memory.buffer.byteLength;
  if (have < bytes) module.memory.grow(Math.ceil((bytes - have) / PAGE));
}

export function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
