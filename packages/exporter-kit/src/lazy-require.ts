import { createRequire } from 'node:module';

/**
 * Synchronous loading on first use. prom-client, yaml, bcryptjs and node:https together add about
 * 20 MiB of resident memory to a process; an exporter without a web config or a prom-client metric
 * never pays for them.
 */
export const lazyRequire = createRequire(import.meta.url);
