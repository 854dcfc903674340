import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpsbotRuntime, type OpsbotRuntime } from '../../../app/runtime.js';
import { loadConfig, silentLogger } from '../../../core/index.js';
import { alice } from '../../helpers/fixtures.js';
import { LocalChatDriver } from '../../helpers/local-chat-driver.js';
import { OpsbotProcess } from '../../helpers/opsbot-process.js';
import { describePostgres, dropSchema, POSTGRES_URL, uniqueSchema } from '../../helpers/postgres.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeSentimentCsv } from '../../helpers/text-dataset.js';

describePostgres('OPSBOT_DATABASE_URL: bot and worker processes sharing state in Postgres', () => {
  let dir: string;
  let env: Record<string, string>;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;
  let worker: OpsbotProcess | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-pg-'));
    writeSentimentCsv(dir, 300);
    env = {
      REDIS_URL,
      OPSBOT_QUEUE_PREFIX: uniquePrefix('pg'),
      OPSBOT_DATABASE_URL: POSTGRES_URL,
      OPSBOT_DATABASE_SCHEMA: uniqueSchema('runtime'),
      OPSBOT_DATA_DIR: join(dir, 'state'),
      OPSBOT_LOG_LEVEL: 'info',
    };
    chat = new LocalChatDriver();
    runtime = await createOpsbotRuntime({ config: loadConfig(env, dir).config, chat: chat.chat, log: silentLogger, workDir: dir });
    chat.start(alice, (command) => runtime.dispatcher.handle(command));
  });

  afterEach(async () => {
    await worker?.stop('SIGKILL');
    await chat.end();
    await runtime.close();
    await deleteKeys(env.OPSBOT_QUEUE_PREFIX as string);
    await dropSchema(env.OPSBOT_DATABASE_SCHEMA as string);
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains on a worker process and deploys, with one audit chain in Postgres that `opsbot audit verify` checks', async () => {
    worker = await OpsbotProcess.worker(dir, env, 'pg-worker');
    chat.type('train sentiment --dataset sentiment.csv --epochs 2');
    await chat.waitFor(/Trained sentiment v1 on 300 examples/);
    chat.type('deploy sentiment v1 to staging');
    // The local target's model servers run beside the bot, so the bot runs the deploy job itself.
    await chat.waitFor(/sentiment v1 is live in staging on the blue colour/, 30_000);
    expect(await runtime.store.deployments.current('sentiment', 'staging')).toMatchObject({ version: 1 });
    const [version] = await runtime.store.registry.listVersions('sentiment');
    expect(version).toMatchObject({ createdBy: 'local:alice' });

    const verified = await runCli(['audit', 'verify'], { cwd: dir, env });
    expect(verified.stdout).toMatch(/audit log OK: \d+ records verified in Postgres/);
    expect(verified.code).toBe(0);
  }, 90_000);
});
