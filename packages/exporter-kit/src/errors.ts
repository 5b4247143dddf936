/** A mistake in flags or configuration: the process prints one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure at run time (port in use, device gone at start): one line, exit 1. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

export function exitCodeFor(err: unknown): number {
  return err instanceof UsageError ? 2 : 1;
}

/** The message of any thrown value, on one line. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s*\n\s*/g, ' ');
}
