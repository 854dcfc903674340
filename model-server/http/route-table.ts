import { HttpError } from './http-error.js';

/** A matched route: its label for metrics (the template, never the raw path) and its URL parameters. */
export interface RouteMatch<H> {
  route: string;
  params: string[];
  handler: H;
}

interface Entry<H> {
  method: string;
  route: string;
  pattern: RegExp;
  handler: H;
}

/** Routes matched by method and path; a known path with the wrong method is a 405 with Allow, an unknown one a 404. */
export class RouteTable<H> {
  private readonly entries: Entry<H>[] = [];

  add(method: 'GET' | 'POST', route: string, pattern: RegExp, handler: H): this {
    this.entries.push({ method, route, pattern, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    const allowed: string[] = [];
    for (const entry of this.entries) {
      const found = entry.pattern.exec(path);
      if (!found) continue;
      if (entry.method !== method && !(method === 'HEAD' && entry.method === 'GET')) {
        allowed.push(entry.method);
        continue;
      }
      return { route: entry.route, params: found.slice(1).map((p) => (p === undefined ? p : decode(p))) as string[], handler: entry.handler };
    }
    if (allowed.length > 0) throw new HttpError(405, `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`, { Allow: allowed.join(', ') });
    throw new HttpError(404, `no route ${method} ${path}: see /v1/models/{name}:predict, /v2/models/{name}/infer, /v2/health/ready, /healthz and /metrics`);
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `the path segment '${segment}' is not valid percent-encoding`);
  }
}
