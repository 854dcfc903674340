import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startBotServer, type BotServer } from '../../../../app/bot-server.js';
import { readinessChecks, type ReadinessReport } from '../../../../app/health/index.js';
import { startHttpServer, type RunningHttpServer } from '../../../../app/http-server.js';
import { createSlackAdapter } from '../../../../bot/slack/index.js';
import { defaultConfig, silentLogger, type Logger, type OpsbotConfig } from '../../../../core/index.js';
import { openPool } from '../../../../store/postgres/open-pool.js';
import { openSqliteStateStore } from '../../../../store/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { playgroundUser } from '../../../helpers/playground-stack.js';
import { describePostgres, dropSchema, POSTGRES_URL, runSql, uniqueSchema } from '../../../helpers/postgres.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../../../helpers/redis.js';
import { SlackApiFake } from '../../../helpers/slack-api-fake.js';

async function probe(url: string, path: string): Promise<{ status: number; body: ReadinessReport & { ok?: boolean } }> {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: (await response.json()) as ReadinessReport & { ok?: boolean } };
}

function testConfig(dir: string, configure: (config: OpsbotConfig) => void = () => undefined): OpsbotConfig {
  const config = defaultConfig();
  config.dataDir = join(dir, 'state');
  config.http.port = 0;
  configure(config);
  return config;
}

const startBot = (config: OpsbotConfig) =>
  startBotServer({ config, log: silentLogger, workDir: process.cwd(), localUser: playgroundUser, fallbackToFreePort: false });

describe('/healthz (liveness) and /readyz (readiness)', () => {
  let dir: string;
  let bot: BotServer | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-ready-'));
  });

  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('on the embedded default: ready while SQLite answers, 503 naming the database once it does not, live throughout', async () => {
    bot = await startBot(testConfig(dir));
    const url = bot.http?.url as string;
    expect(await probe(url, '/healthz')).toEqual({ status: 200, body: { ok: true } });
    expect(await probe(url, '/readyz')).toEqual({ status: 200, body: { ready: true, failing: [], checks: [{ name: 'database', ok: true }] } });

    await bot.runtime.store.close();
    const down = await probe(url, '/readyz');
    expect(down.status).toBe(503);
    expect(down.body.failing).toEqual(['database']);
    expect(down.body.checks[0]?.error).toEqual(expect.any(String));
    expect((await probe(url, '/healthz')).status).toBe(200);
  });

  it('checks Redis when REDIS_URL is set', async () => {
    const prefix = uniquePrefix('ready');
    try {
      bot = await startBot(testConfig(dir, (config) => Object.assign(config, { redisUrl: REDIS_URL, queuePrefix: prefix })));
      const url = bot.http?.url as string;
      // The bot starts without waiting for Redis; it is ready once the connection is.
      const ready = await eventually('readiness', async () => {
        const reply = await probe(url, '/readyz');
        return reply.status === 200 && reply;
      });
      expect(ready.body.checks.map((check) => check.name)).toEqual(['database', 'redis']);
    } finally {
      await bot?.stop();
      bot = undefined;
      await deleteKeys(prefix);
    }
  });

  it('answers 503 naming redis when Redis cannot be reached', async () => {
    const store = openSqliteStateStore(':memory:');
    // As connectRedis makes it, but ioredis's 2 s wait for a socket already closed would outlive the test.
    const redis = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, disconnectTimeout: 1 });
    redis.on('error', () => undefined); // refused, again and again: ioredis keeps retrying
    // Between two attempts no socket is open, so disconnecting leaves nothing behind.
    const waiting = new Promise((resolve) => redis.once('reconnecting', resolve));
    let server: RunningHttpServer | undefined;
    try {
      server = await startHttpServer(testConfig(dir), [], silentLogger, { readiness: readinessChecks({ store, redis, adapters: [] }) });
      await waiting;
      const down = await probe(server.url, '/readyz');
      expect(down.status).toBe(503);
      expect(down.body.failing).toEqual(['redis']);
      expect(down.body.checks.find((check) => check.name === 'redis')?.error).toMatch(/not connected/);
    } finally {
      await server?.close();
      redis.disconnect();
      await store.close();

    }
  });

  it('checks Slack: not ready until Slack has confirmed the bot token', async () => {
    const api = await SlackApiFake.start();
    const store = openSqliteStateStore(':memory:');
    const config = testConfig(dir, (c) => (c.slack = { signingSecret: 'secret', botToken: api.token, apiUrl: api.url }));
    const slack = createSlackAdapter({ config, log: silentLogger, handle: () => Promise.reject(new Error('unused')) }, { retryConfig: { retries: 0 } });
    let server: RunningHttpServer | undefined;
    try {
      server = await startHttpServer(config, [slack], silentLogger, { readiness: readinessChecks({ store, adapters: [slack] }) });
      api.failNext('auth.test', 'fatal_error');
      const down = await probe(server.url, '/readyz');
      expect(down.status).toBe(503);
      expect(down.body.failing).toEqual(['slack']);
      expect((await probe(server.url, '/readyz')).body).toMatchObject({ ready: true, failing: [] });
    } finally {
      await server?.close();
      await store.close();
      await api.close();
    }
  });
});

describePostgres('readiness and timeouts on Postgres', () => {
  let dir: string;
  let schema: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-ready-pg-'));
    schema = uniqueSchema('ready');
  });

  afterEach(async () => {
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready while Postgres answers and 503 naming the database once its pool is gone', async () => {
    const bot = await startBot(testConfig(dir, (config) => Object.assign(config, { databaseUrl: POSTGRES_URL, databaseSchema: schema })));
    try {
      const url = bot.http?.url as string;
      expect(await probe(url, '/readyz')).toMatchObject({ status: 200, body: { ready: true, checks: [{ name: 'database', ok: true }] } });
      await bot.runtime.store.close();
      expect(await probe(url, '/readyz')).toMatchObject({ status: 503, body: { failing: ['database'] } });
    } finally {
      await bot.stop();
    }
  });

  it('cancels a statement past the statement timeout', async () => {
    const pool = openPool(POSTGRES_URL, { statementTimeoutMs: 50 });
    try {
      await expect(pool.query('SELECT pg_sleep(10)')).rejects.toMatchObject({ code: '57014' });
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('gives up on a server that accepts the connection but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const pool = openPool(`postgres://postgres@127.0.0.1:${port}/test`, { connectionTimeoutMs: 100 });
    try {
      await expect(pool.query('SELECT 1')).rejects.toThrow(/timeout/i);
    } finally {
      await pool.end();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('logs a pooled connection that the server ends, and carries on', async () => {
    const warnings: Array<{ details: object; message?: string }> = [];
    const log: Logger = { ...silentLogger, warn: (details, message) => warnings.push({ details, message }) };
    const pool = openPool(POSTGRES_URL, { log });
    try {
      const client = await pool.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      client.release(); // idle in the pool, where only the pool's 'error' event can report it
      await runSql('SELECT pg_terminate_backend($1)', [pid]);
      await eventually('the pool error to be logged', () => warnings.length > 0);
      expect(warnings[0]?.message).toMatch(/Postgres connection failed/);
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
