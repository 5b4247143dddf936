import { lazyRequire } from './lazy-require.js';

type Bcrypt = typeof import('bcryptjs').default;
const bcrypt = (): Bcrypt => lazyRequire('bcryptjs') as Bcrypt;
const crypto = (): typeof import('node:crypto') => lazyRequire('node:crypto');

/**
 * Checks HTTP basic credentials against bcrypt hashes. Results are cached by a digest of
 * (user, password, hash) so that a scraper sending the same credentials every 15 s costs one
 * bcrypt run, not one per scrape; a changed hash in the file misses the cache.
 */
export class BasicAuthChecker {
  private readonly cache = new Map<string, boolean>();
  /** Hashes of a random password nobody knows, per bcrypt cost: unknown users cost as much as known ones. */
  private readonly dummies = new Map<number, string>();

  private dummyHash(users: ReadonlyMap<string, string>): string {
    const first = users.values().next().value as string | undefined;
    const cost = first ? Number(first.split('$')[2]) || 10 : 10;
    let h = this.dummies.get(cost);
    if (!h) {
      h = bcrypt().hashSync(crypto().randomBytes(16).toString('hex'), cost);
      this.dummies.set(cost, h);
    }
    return h;
  }

  async check(users: ReadonlyMap<string, string>, header: string | undefined): Promise<boolean> {
    const creds = parseBasicAuth(header);
    if (!creds) return false;
    const known = users.get(creds.user);
    const hash = known ?? this.dummyHash(users);
    const key = crypto()
      .createHash('sha256')
      .update(`${creds.user}\0${creds.password}\0${hash}`)
      .digest('base64');
    let ok = this.cache.get(key);
    if (ok === undefined) {
      ok = (await bcrypt().compare(creds.password, hash)) && known !== undefined;
      if (this.cache.size >= 256) this.cache.clear();
      this.cache.set(key, ok);
    }
    return ok;
  }
}

export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
