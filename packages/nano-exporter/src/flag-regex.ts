import { type ParsedFlags, UsageError } from '@motley/exporter-kit';

/**
 * A regex flag as node_exporter takes it (Go RE2 syntax, which JavaScript reads the same way for
 * the patterns people use). Empty means "no filter". A bad pattern is a usage error naming the flag.
 */
export function compileFlagRegex(flag: string, pattern: string): RegExp | undefined {
  if (pattern === '') return undefined;
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new UsageError(
      `--${flag}: invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`,
    );
  }
}

/**
 * node_exporter's include/exclude pair for device names. Giving both is a usage error; an
 * explicit include replaces the default exclude.
 */
export function deviceFilter(flags: ParsedFlags, flagPrefix: string): (device: string) => boolean {
  const includeFlag = `${flagPrefix}.device-include`;
  const excludeFlag = `${flagPrefix}.device-exclude`;
  const inc = compileFlagRegex(includeFlag, flags.string(includeFlag));
  const exc =
    inc && !flags.isSet(excludeFlag) ? undefined : compileFlagRegex(excludeFlag, flags.string(excludeFlag));
  if (inc && exc) throw new UsageError(`--${includeFlag} and --${excludeFlag} are mutually exclusive`);
  if (inc) return (d) => inc.test(d);
  if (exc) return (d) => !exc.test(d);
  return () => true;
}

/** Remembers a field filter's answer per key: the same few hundred keys come every scrape. */
export class FieldFilter {
  private readonly decided = new Map<string, boolean>();
  constructor(private readonly wanted: RegExp | undefined) {}
  test(key: string): boolean {
    let ok = this.decided.get(key);
    if (ok === undefined) {
      ok = this.wanted ? this.wanted.test(key) : true;
      this.decided.set(key, ok);
    }
    return ok;
  }
}
