import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../../../core/logger.port.js';
import { Router, type RouteDecision, type Upstream, type UpstreamSet } from '../../../../deploy-targets/local/router.js';

/** A real loopback HTTP server standing in for a model server: answers its name, the path and the body it got. */
async function backend(name: string, options: { close?: boolean } = {}): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (options.close) response.setHeader('connection', 'close');
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ name, path: request.url, method: request.method, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Round-robin over fixed URLs, recording which replicas the router gave up on. */
function upstreams(urls: Record<string, string>): UpstreamSet & { unreachable: string[] } {
  const names = Object.keys(urls);
  const out: string[] = [];
  let cursor = 0;
  return {
    colour: 'blue',
    version: 7,
    unreachable: out,
    pick(exclude = new Set<string>()): Upstream | undefined {
      const ready = names.filter((n) => !exclude.has(n) && !out.includes(n));
      if (ready.length === 0) return undefined;
      const name = ready[cursor++ % ready.length] as string;
      return { name, url: urls[name] as string, unreachable: () => void out.push(name) };
    },
    ready(): Upstream[] {
      return names.filter((n) => !out.includes(n)).map((name) => ({ name, url: urls[name] as string, unreachable: () => void out.push(name) }));
    },
  };
}

/** A model server's /metrics page as prom-client writes it (HELP, TYPE, samples), with its own request count. */
async function metricsBackend(requests: number): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    response.setHeader('content-type', 'text/plain; version=0.0.4');
    response.end(
      [
        '# HELP opsbot_model_server_requests_total HTTP requests answered, by route and status code',
        '# TYPE opsbot_model_server_requests_total counter',
        `opsbot_model_server_requests_total{route="/v2/models/:name/infer",code="200",model="m",version="3"} ${requests}`,
        '',
        '# HELP opsbot_model_server_in_flight_requests Requests being answered now',
        '# TYPE opsbot_model_server_in_flight_requests gauge',
        'opsbot_model_server_in_flight_requests 1',
        '',
      ].join('\n'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('Router', () => {
  const servers: Server[] = [];
  let router: Router | undefined;
  afterEach(async () => {
    await router?.close(100);
    router = undefined;
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  async function start(route: () => RouteDecision): Promise<Router> {
    router = new Router({ name: 'test', route, log: silentLogger });
    await router.listen(0);
    return router;
  }

  it('forwards any path, method and body to the replicas in turn, naming colour, version and replica', async () => {
    const a = await backend('a');
    const b = await backend('b');
    servers.push(a.server, b.server);
    const set = upstreams({ 'blue-1': a.url, 'blue-2': b.url });
    const r = await start(() => ({ upstreams: set }));
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answers = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const response = await fetch(`${r.url}/v1/models/m:predict?x=1`, { method: 'POST', body: '{"instances":["t"]}', headers: { 'content-type': 'application/json' } });
        return { body: (await response.json()) as Record<string, string>, replica: response.headers.get('x-opsbot-replica'), colour: response.headers.get('x-opsbot-colour'), version: response.headers.get('x-opsbot-version') };
      }),
    );
    expect(answers.map((a) => a.body.name).sort()).toEqual(['a', 'a', 'b', 'b']);
    expect(answers[0]).toMatchObject({ colour: 'blue', version: '7', body: { path: '/v1/models/m:predict?x=1', method: 'POST', body: '{"instances":["t"]}' } });
    expect(new Set(answers.map((a) => a.replica))).toEqual(new Set(['blue-1', 'blue-2']));
  });

  it('sends a request whose connection fails to the next replica, and takes the dead one out of rotation', async () => {
    const alive = await backend('alive');
    const dead = await backend('dead');
    servers.push(alive.server);
    await new Promise((resolve) => dead.server.close(resolve));
    const set = upstreams({ 'blue-1': dead.url, 'blue-2': alive.url });
    const r = await start(() => ({ upstreams: set }));
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${r.url}/v2/models/m/infer`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { name: string }).name).toBe('alive');
    }
    expect(set.unreachable).toEqual(['blue-1']);
  });

  it('answers 503 with a JSON error when no replica can take the request, or when the route says why not', async () => {
    const dead = await backend('dead');
    await new Promise((resolve) => dead.server.close(resolve));
    let decision: RouteDecision = { upstreams: upstreams({ 'blue-1': dead.url }) };
    const r = await start(() => decision);
    const none = await fetch(`${r.url}/healthz`);
    expect(none.status).toBe(503);
    expect(none.headers.get('content-type')).toBe('application/json');
    expect(((await none.json()) as { error: string }).error).toMatch(/blue \(v7\) has no other ready model server \(blue-1 could not be reached\)/);
    decision = { unavailable: 'nothing is live here yet' };
    const unavailable = await fetch(`${r.url}/anything`);
    expect(unavailable.status).toBe(503);
    expect(await unavailable.json()).toEqual({ error: 'nothing is live here yet' });
  });

  it('decides each request\'s colour when it arrives: a switch takes effect at the next request', async () => {
    const blue = await backend('blue');
    const green = await backend('green');
    servers.push(blue.server, green.server);
    let live = upstreams({ 'blue-1': blue.url });
    const r = await start(() => ({ upstreams: live }));
    const ask = async () => ((await (await fetch(`${r.url}/x`)).json()) as { name: string }).name;
    expect(await ask()).toBe('blue');
    live = { ...upstreams({ 'green-1': green.url }), colour: 'green' };
    expect(await ask()).toBe('green');
  });

  it('keeps the client connection when a draining replica closes its own, and refuses an oversized body with 413', async () => {
    const draining = await backend('draining', { close: true });
    servers.push(draining.server);
    router = new Router({ name: 'test', route: () => ({ upstreams: upstreams({ 'blue-1': draining.url }) }), log: silentLogger, maxBodyBytes: 1024 });
    await router.listen(0);
    const response = await fetch(`${router.url}/x`);
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).not.toBe('close');
    await response.text();
    const big = await fetch(`${router.url}/x`, { method: 'POST', body: 'x'.repeat(4096) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/larger than the router's limit of 1024 bytes/);
  });

  it('answers GET /metrics itself with every ready replica\'s series, each family once, labelled by colour and replica', async () => {
    const a = await metricsBackend(5);
    const b = await metricsBackend(7);
    const dead = await metricsBackend(0);
    servers.push(a.server, b.server);
    await new Promise((resolve) => dead.server.close(resolve));
    const r = await start(() => ({ upstreams: upstreams({ 'blue-1': a.url, 'blue-2': b.url, 'blue-3': dead.url }) }));
    for (let scrape = 0; scrape < 3; scrape++) {
      const answer = await fetch(`${r.url}/metrics`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const lines = (await answer.text()).trim().split('\n');
      // The replica that cannot be reached is left out; the others are there at every scrape, not one in turn.
      expect(lines).toEqual([
        '# HELP opsbot_model_server_requests_total HTTP requests answered, by route and status code',
        '# TYPE opsbot_model_server_requests_total counter',
        'opsbot_model_server_requests_total{colour="blue",replica="blue-1",route="/v2/models/:name/infer",code="200",model="m",version="3"} 5',
        'opsbot_model_server_requests_total{colour="blue",replica="blue-2",route="/v2/models/:name/infer",code="200",model="m",version="3"} 7',
        '# HELP opsbot_model_server_in_flight_requests Requests being answered now',
        '# TYPE opsbot_model_server_in_flight_requests gauge',
        'opsbot_model_server_in_flight_requests{colour="blue",replica="blue-1"} 1',
        'opsbot_model_server_in_flight_requests{colour="blue",replica="blue-2"} 1',
      ]);
    }
    // Other paths are still forwarded to one replica.
    expect((await fetch(`${r.url}/metrics/other`)).status).toBe(404);
  });

  it('reports a port in use as EADDRINUSE, and can then listen on another', async () => {
    const taken = await backend('taken');
    servers.push(taken.server);
    router = new Router({ name: 'test', route: () => ({ unavailable: 'x' }), log: silentLogger });
    await expect(router.listen(Number(new URL(taken.url).port))).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await router.listen(0);
    expect((await fetch(`${router.url}/`)).status).toBe(503);
  });
});
