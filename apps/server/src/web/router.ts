import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-util.js';

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: RouteParams,
) => Promise<void> | void;
export type RouteParams = Record<string, string>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** A handler that refuses a path segment with a broken %-escape. */
function badEscape(raw: string): Handler {
  return () => {
    throw new HttpError(400, `invalid URL escape in path segment "${raw}"`);
  };
}

/**
 * A small router: exact paths and `:param` segments. Subsystems add their routes in their own
 * modules (register*Routes) so the composition root only wires them.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | string[], path: string, handler: Handler): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, k: string) => {
        keys.push(k);
        return '([^/]+)';
      })}$`,
    );
    for (const method of Array.isArray(methods) ? methods : [methods]) {
      this.routes.push({ method, pattern, keys, handler });
    }
  }

  get(path: string, handler: Handler): void {
    this.add(['GET', 'HEAD'], path, handler);
  }
  post(path: string, handler: Handler): void {
    this.add('POST', path, handler);
  }
  getOrPost(path: string, handler: Handler): void {
    this.add(['GET', 'HEAD', 'POST'], path, handler);
  }

  /** The handler for a request, `'method'` when the path exists with another method, or undefined. */
  match(method: string, pathname: string): { handler: Handler; params: RouteParams } | 'method' | undefined {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: RouteParams = {};
      for (let i = 0; i < r.keys.length; i++) {
        const raw = m[i + 1];
        let value: string;
        try {
          value = decodeURIComponent(raw);
        } catch {
          return { handler: badEscape(raw), params };
        }
        params[r.keys[i]] = value;
      }
      return { handler: r.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}
