import { createRequire } from 'node:module';

let load: NodeJS.Require | undefined;

/**
 * Synchronous loading on first use. prom-client, yaml, bcryptjs and node:https together add about
 * 20 MiB of resident memory to a process; an exporter without a web config or a prom-client metric
 * never pays for them. The require function itself is made on first use too: resolving this
 * package's own path goes through the package `exports` resolver, which loads half of Node's ES
 * module loader (about 0.3 MiB resident) into a bundled exporter that never needs it.
 */
export function lazyRequire<T = unknown>(id: string): T {
  load ??= createRequire(import.meta.url);
  return load(id) as T;
}
