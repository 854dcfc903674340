import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBotServer } from '../../../../app/bot-server.js';
import { ConfigError, defaultConfig, silentLogger } from '../../../../core/index.js';
import { OpsbotProcess } from '../../../helpers/opsbot-process.js';
import { playgroundUser, startPlaygroundStack, type PlaygroundStack } from '../../../helpers/playground-stack.js';

/** The guard's view of the peer: the test stands in for another machine through this header. */
const SIMULATED_PEER = 'x-simulated-peer';
const peerAddress = (req: { headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string } }) =>
  (req.headers[SIMULATED_PEER] as string | undefined) ?? req.socket.remoteAddress;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Always to 127.0.0.1; Host, Origin and the simulated peer say where the request claims to come from. */
function send(stack: PlaygroundStack, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  const { port } = new URL(stack.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        // The event stream never ends: its status and headers are what is checked.
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        }
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const errorOf = (reply: Reply) => (JSON.parse(reply.body) as { error: string }).error;

/** What a command would leave behind: a message in the workspace, a job, an audit record. */
async function traces(stack: PlaygroundStack): Promise<{ messages: number; jobs: number; audit: number }> {
  return {
    messages: stack.workspace.history().length,
    jobs: (await stack.runtime.store.jobs.list()).length,
    audit: (await stack.runtime.store.audit.query()).length,
  };
}

describe('who the playground answers (loopback only by default)', () => {
  let stack: PlaygroundStack;
  let host: string;
  let origin: string;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    stack = await startPlaygroundStack({ datasetRows: 200, peerAddress });
    host = new URL(stack.url).host;
    origin = new URL(stack.url).origin;
    bearer = { Authorization: `Bearer ${stack.access.token}` };
  }, 30_000);

  afterAll(async () => {
    await stack.close();
  }, 30_000);

  const command = { text: 'deploy sentiment v1 to prod' };
  type Base = { host: string; origin: string };
  const refusals: Array<[string, (base: Base) => Record<string, string>, RegExp]> = [
    ['a foreign Host (DNS rebinding)', () => ({ Host: 'evil.example', Origin: 'http://evil.example' }), /host name is not allowed/],
    ['a foreign Origin', (b) => ({ Host: b.host, Origin: 'https://evil.example' }), /Only the playground page itself/],
    ['no Origin (curl, a script)', (b) => ({ Host: b.host }), /no matching Origin/],
    ['an IP-literal Host (the machine’s network address)', () => ({ Host: '192.168.1.20:3000', Origin: 'http://192.168.1.20:3000' }), /host name is not allowed/],
    ['a bracketed Host with a name after it', () => ({ Host: '[::1].evil.example', Origin: 'http://[::1].evil.example' }), /host name is not allowed/],
    ['a non-loopback peer', (b) => ({ Host: b.host, Origin: b.origin, [SIMULATED_PEER]: '192.168.1.77' }), /answers only this machine/],
    ['a request relayed by a proxy', (b) => ({ Host: b.host, Origin: b.origin, 'X-Forwarded-For': '198.51.100.4' }), /answers only this machine/],
  ];

  it.each(refusals)('refuses a command with %s and runs nothing', async (_what, headersFor, reason) => {
    const before = await traces(stack);
    const headers = headersFor({ host, origin });
    const reply = await send(stack, 'POST', '/playground/messages', headers, command);
    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toMatch(/application\/json/);
    expect(errorOf(reply)).toMatch(reason);
    const click = await send(stack, 'POST', '/playground/actions', headers, { command: 'confirm 1234' });
    expect(click.status).toBe(403);
    expect(await traces(stack)).toEqual(before);
  });

  it('refuses the page and its event stream to a foreign Host, an IP-literal Host and a non-loopback peer', async () => {
    const cases: Array<Record<string, string>> = [{ Host: 'evil.example' }, { Host: '10.0.0.5' }, { Host: host, [SIMULATED_PEER]: '10.0.0.9' }];
    for (const headers of cases) {
      for (const path of ['/', '/playground/events']) expect([path, (await send(stack, 'GET', path, headers)).status]).toEqual([path, 403]);
    }
    // This machine's own browser is served.
    expect((await send(stack, 'GET', '/', { Host: host })).status).toBe(200);
    expect((await send(stack, 'GET', '/', { Host: `localhost:${new URL(stack.url).port}` })).status).toBe(200);
  });

  it('refuses a wrong token with 401', async () => {
    const before = await traces(stack);
    const reply = await send(stack, 'POST', '/playground/messages', { Host: host, Authorization: 'Bearer not-the-token' }, command);
    expect(reply.status).toBe(401);
    expect(errorOf(reply)).toMatch(/access token is not right/);
    expect(await traces(stack)).toEqual(before);
  });

  it('serves each refused request once it carries the token (Bearer, or the cookie set by ?token=)', async () => {
    const accepted = await send(stack, 'POST', '/playground/messages', { Host: '192.168.1.20:3000', [SIMULATED_PEER]: '192.168.1.77', ...bearer }, { text: 'status' });
    expect(accepted.status).toBe(202);
    expect(stack.workspace.history().some((entry) => entry.message.text === 'status')).toBe(true);

    const first = await send(stack, 'GET', `/?token=${encodeURIComponent(stack.access.token)}`, { Host: 'opsbot.example:3000', [SIMULATED_PEER]: '192.168.1.77' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0] as string;
    const remote = { Host: 'opsbot.example:3000', [SIMULATED_PEER]: '192.168.1.77', Cookie: cookie };
    expect((await send(stack, 'GET', '/', remote)).status).toBe(200);
    expect((await send(stack, 'GET', '/playground/events', remote)).status).toBe(200);
    expect((await send(stack, 'POST', '/playground/messages', { ...remote, Origin: 'http://opsbot.example:3000' }, { text: 'help' })).status).toBe(202);
    // The cookie never makes another site's write acceptable.
    expect((await send(stack, 'POST', '/playground/messages', { ...remote, Origin: 'https://evil.example' }, command)).status).toBe(403);
  });
});

describe('the playground with remote access on', () => {
  let stack: PlaygroundStack;

  beforeAll(async () => {
    stack = await startPlaygroundStack({ datasetRows: 200, remote: true, peerAddress });
  }, 30_000);

  afterAll(async () => {
    await stack.close();
  }, 30_000);

  it('needs the token for every request, even from this machine', async () => {
    const before = await traces(stack);
    const host = new URL(stack.url).host;
    for (const peer of ['203.0.113.7', '127.0.0.1']) {
      const headers = { Host: host, Origin: new URL(stack.url).origin, [SIMULATED_PEER]: peer };
      const reply = await send(stack, 'POST', '/playground/messages', headers, { text: 'train sentiment --dataset sentiment.csv' });
      expect(reply.status).toBe(401);
      expect(errorOf(reply)).toMatch(/needs its access token/);
      expect((await send(stack, 'GET', '/', headers)).status).toBe(401);
    }
    expect(await traces(stack)).toEqual(before);
    const withToken = await send(stack, 'GET', '/', { Host: 'opsbot.example', [SIMULATED_PEER]: '203.0.113.7', Authorization: `Bearer ${stack.access.token}` });
    expect(withToken.status).toBe(200);
  });
});

describe('start-up with a non-loopback bind', () => {
  it('is refused while the playground is on without remote access, naming the fix', async () => {
    const config = defaultConfig();
    config.http = { host: '0.0.0.0', port: 0 };
    const started = startBotServer({ config, log: silentLogger, workDir: process.cwd(), localUser: playgroundUser, fallbackToFreePort: false });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/OPSBOT_PLAYGROUND=false.*OPSBOT_PLAYGROUND_REMOTE=true/s);
  });

  it('`opsbot serve` with remote access refuses to generate a token, which would be printed into its log', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'opsbot-serve-token-'));
    const serve = new OpsbotProcess(['serve'], { cwd, env: { OPSBOT_HOST: '0.0.0.0', PORT: '0', OPSBOT_PLAYGROUND_REMOTE: 'true' } });
    expect(await serve.exited).toBe(2);
    expect(serve.stderr).toMatch(/OPSBOT_PLAYGROUND_TOKEN: `opsbot serve` with OPSBOT_PLAYGROUND_REMOTE=true needs a token of your own/);
    expect(serve.stdout).not.toMatch(/token=/);
  }, 60_000);
});
