import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Colour } from '../../core/deployments/deploy-target.port.js';
import type { Logger } from '../../core/logger.port.js';
import { readMetricsPage } from '../../monitoring/exposition.js';
import { mergeReplicaPages } from './merged-metrics.js';

/** One model server a request can go to. */
export interface Upstream {
  /** Named in the x-opsbot-replica response header, e.g. `blue-2`. */
  name: string;
  url: string;
  pid?: number;
  /** The router could not connect: take it out of rotation until its health check passes again. */
  unreachable(): void;
}

/** The replicas of one colour, taken in turn. */
export interface UpstreamSet {
  readonly colour: Colour;
  readonly version: number;
  /** The next ready replica not in `exclude`, or none. */
  pick(exclude?: ReadonlySet<string>): Upstream | undefined;
  /** Every ready replica (a scrape of /metrics reads them all). */
  ready(): Upstream[];
}

/** Where a request goes, decided once when it arrives: a colour's replicas, or a 503 saying why none. */
export type RouteDecision = { upstreams: UpstreamSet } | { unavailable: string };

export interface RouterOptions {
  /** For the log: `sentiment/prod endpoint`. */
  name: string;
  route: () => RouteDecision;
  log: Logger;
  /** Largest request body the router buffers (it must, to retry a request on another replica). @defaultValue 16 MiB */
  maxBodyBytes?: number;
  /** Longest a replica may take to answer; then 504. @defaultValue 60000 */
  upstreamTimeoutMs?: number;
}

/** A replica's /metrics that takes longer is left out of that scrape (Prometheus' own scrape timeout is 10 s). */
const REPLICA_SCRAPE_TIMEOUT_MS = 5_000;

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, never the next one. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

type Attempt = { kind: 'answered' } | { kind: 'connect-failed'; error: Error; reusedSocket: boolean } | { kind: 'timed-out' } | { kind: 'gone' };

/**
 * A loopback HTTP router for one slot: forwards every request (V1, V2, /healthz, any path) to a
 * replica of the colour `route` names at the moment the request arrives, so a
 * colour switch is one assignment — every request is wholly the old colour's or wholly the new
 * one's, and requests already forwarded finish where they went. Requests are buffered so that
 * one whose connection fails before any response byte (a replica that just died) is sent to
 * the next replica: inference is idempotent. `GET /metrics` is answered by the router itself: every
 * ready replica's series, labelled `colour` and `replica`. Listens on 127.0.0.1 only.
 */
export class Router {
  private readonly http: Server;
  private readonly agent = new Agent({ keepAlive: true, timeout: 30_000 });
  /** For the one retry of a request whose pooled keep-alive connection turned out closed. */
  private readonly freshAgent = new Agent({ keepAlive: false });
  private readonly maxBodyBytes: number;
  private readonly upstreamTimeoutMs: number;

  constructor(private readonly options: RouterOptions) {
    this.maxBodyBytes = options.maxBodyBytes ?? 16 << 20;
    this.upstreamTimeoutMs = options.upstreamTimeoutMs ?? 60_000;
    this.http = createServer({ keepAliveTimeout: 5_000, requestTimeout: 120_000 }, (request, response) => void this.handle(request, response));
  }

  /** Listens on 127.0.0.1:`port`; rejects with the listen error (EADDRINUSE) so the caller can try another. */
  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.http.once('error', failed);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', failed);
        resolve();
      });
    });
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops taking connections; requests in flight get `graceMs` to finish, then their connections are cut. */
  async close(graceMs = 5_000): Promise<void> {
    if (!this.http.listening) return;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    const timer = setTimeout(() => this.http.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
    this.agent.destroy();
    this.freshAgent.destroy();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const decision = this.options.route();
    const body = await this.readBody(request, response);
    if (!body) return;
    if ('unavailable' in decision) return fail(response, 503, decision.unavailable);
    const { upstreams } = decision;
    if (request.method === 'GET' && new URL(request.url ?? '/', 'http://router').pathname === '/metrics') return this.serveMetrics(upstreams, response);
    const tried = new Set<string>();
    let staleRetried = false;
    for (;;) {
      const upstream = upstreams.pick(tried);
      if (!upstream) {
        const why = tried.size === 0 ? 'has no ready model server' : `has no other ready model server (${[...tried].join(', ')} could not be reached)`;
        return fail(response, 503, `${upstreams.colour} (v${upstreams.version}) ${why}; opsbot restarts crashed servers, try again shortly`);
      }
      const attempt = await this.forward(upstream, upstreams, request, body, response, staleRetried);
      if (attempt.kind === 'answered' || attempt.kind === 'gone') return;
      if (attempt.kind === 'timed-out') return fail(response, 504, `${upstream.name} (v${upstreams.version}) did not answer within ${this.upstreamTimeoutMs} ms`);
      // A pooled keep-alive connection the server had already closed says nothing about the server: retry it once, fresh.
      if (attempt.reusedSocket && !staleRetried) {
        staleRetried = true;
        continue;
      }
      staleRetried = false;
      tried.add(upstream.name);
      upstream.unreachable();
      this.options.log.warn({ router: this.options.name, replica: upstream.name, pid: upstream.pid, err: attempt.error }, 'a model server could not be reached; trying the next one');
    }
  }

  /** Every ready replica's page, fetched at once; one that fails or is slow is left out (its series go stale, as a failed scrape's would). */
  private async serveMetrics(upstreams: UpstreamSet, response: ServerResponse): Promise<void> {
    const replicas = upstreams.ready();
    if (replicas.length === 0) return fail(response, 503, `${upstreams.colour} (v${upstreams.version}) has no ready model server`);
    const pages = await Promise.all(
      replicas.map(async (replica) => {
        const text = await readMetricsPage(`${replica.url}/metrics`, REPLICA_SCRAPE_TIMEOUT_MS);
        return text === undefined ? undefined : { labels: { colour: upstreams.colour, replica: replica.name }, text };
      }),
    );
    const answered = pages.filter((page) => page !== undefined);
    if (answered.length === 0) return fail(response, 503, `no ${upstreams.colour} (v${upstreams.version}) model server answered /metrics`);
    const body = mergeReplicaPages(answered);
    if (response.destroyed) return;
    response.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-opsbot-colour': upstreams.colour,
      'x-opsbot-version': String(upstreams.version),
    });
    response.end(body);
  }

  private forward(upstream: Upstream, upstreams: UpstreamSet, request: IncomingMessage, body: Buffer, response: ServerResponse, fresh: boolean): Promise<Attempt> {
    return new Promise<Attempt>((resolve) => {
      const target = new URL(upstream.url);
      const headers = forwardedHeaders(request.headers, body.length);
      const outgoing = httpRequest({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...headers, host: target.host }, agent: fresh ? this.freshAgent : this.agent });
      let answered = false;
      outgoing.setTimeout(this.upstreamTimeoutMs, () => {
        if (answered) return outgoing.destroy();
        resolve({ kind: 'timed-out' });
        outgoing.destroy();
      });
      // The client left: stop the upstream request too.
      const clientGone = () => {
        if (!response.writableFinished) outgoing.destroy();
      };
      response.once('close', clientGone);
      outgoing.on('response', (incoming) => {
        answered = true;
        response.writeHead(incoming.statusCode ?? 502, {
          ...responseHeaders(incoming.headers),
          'x-opsbot-colour': upstreams.colour,
          'x-opsbot-version': String(upstreams.version),
          'x-opsbot-replica': upstream.name,
          ...(upstream.pid === undefined ? {} : { 'x-opsbot-pid': String(upstream.pid) }),
        });
        incoming.pipe(response);
        incoming.once('error', () => response.destroy());
        incoming.once('aborted', () => response.destroy());
        resolve({ kind: 'answered' });
      });
      outgoing.on('error', (error) => {
        if (answered) return response.destroy();
        response.off('close', clientGone);
        // (Not request.destroyed: a request whose body was read to the end is destroyed already.)
        if (response.destroyed || response.socket?.destroyed !== false) return resolve({ kind: 'gone' });
        resolve({ kind: 'connect-failed', error, reusedSocket: outgoing.reusedSocket });
      });
      outgoing.end(body);
    });
  }

  private async readBody(request: IncomingMessage, response: ServerResponse): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of request as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > this.maxBodyBytes) {
          response.setHeader('Connection', 'close');
          fail(response, 413, `the request body is larger than the router's limit of ${this.maxBodyBytes} bytes`);
          return undefined;
        }
        chunks.push(chunk);
      }
    } catch {
      return undefined;
    }
    return Buffer.concat(chunks);
  }
}

function forwardedHeaders(headers: IncomingHttpHeaders, length: number): OutgoingHttpHeaders {
  const named = connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) out[name] = value;
  out['content-length'] = String(length);
  return out;
}

function responseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  // content-length is kept on the way back: the body is streamed through unchanged.
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && (name === 'content-length' || (!HOP_BY_HOP.has(name) && !named.has(name)))) out[name] = value;
  return out;
}

function connectionTokens(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(',').map((token) => token.trim().toLowerCase()).filter(Boolean));
}

function fail(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) return void response.destroy();
  const payload = JSON.stringify({ error: message });
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}
