/** Label matchers as in PromQL selectors: =, !=, =~, !~ (regexes fully anchored, `.` matches newline). */
export type MatchType = '=' | '!=' | '=~' | '!~';

export class Matcher {
  private readonly re: RegExp | undefined;

  constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    if (type === '=~' || type === '!~') this.re = compileAnchoredRegex(value);
  }

  matches(v: string): boolean {
    switch (this.type) {
      case '=':
        return v === this.value;
      case '!=':
        return v !== this.value;
      case '=~':
        return this.re!.test(v);
      case '!~':
        return !this.re!.test(v);
    }
  }

  /** Whether the matcher accepts the empty string, i.e. also matches series without the label. */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

/**
 * Compiles a Prometheus (RE2) regex anchored at both ends. Throws a SyntaxError-derived error with
 * the regex in the message when JavaScript cannot compile it.
 */
export function compileAnchoredRegex(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`, 's');
  } catch (e) {
    throw new SyntaxError(`invalid regular expression "${source}": ${(e as Error).message}`);
  }
}
