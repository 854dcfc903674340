import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStateStore } from '../../../app/open-state-store.js';
import { createOpsbotRuntime } from '../../../app/runtime.js';
import { loadConfig, streamAudit, type AuditEntry, type Logger, type OpsbotConfig, type StateStore } from '../../../core/index.js';
import { openPostgresStateStore, openSqliteStateStore } from '../../../store/index.js';
import { LocalChatDriver } from '../../helpers/local-chat-driver.js';
import { describePostgres, dropSchema, POSTGRES_URL, uniqueSchema } from '../../helpers/postgres.js';

const DAY = 86_400_000;

const entry = (detail: string): AuditEntry => ({ platform: 'system', workspace: '', userId: 'opsbot', userName: 'opsbot', outcome: 'completed', detail });

/** A logger that keeps what it is told, to see that pruning says what it removed. */
function recordingLogger(): Logger & { infos: Array<{ details: object; message?: string }> } {
  const infos: Array<{ details: object; message?: string }> = [];
  return { infos, debug() {}, warn() {}, error() {}, info: (details, message) => void infos.push({ details, message }) };
}

/**
 * Seeds records aged 200, 100 and 10 days, and one now, through a store with a moved clock; then
 * starts a runtime (which prunes at start) and reads back what is left.
 */
async function pruneAtStart(env: Record<string, string>, dir: string, open: (config: OpsbotConfig, now: () => Date) => Promise<StateStore>) {
  const config = loadConfig(env, dir).config;
  let at = 0;
  const seeding = await open(config, () => new Date(at));
  for (const age of [200, 200, 100, 10, 0]) {
    at = Date.now() - age * DAY;
    await seeding.audit.append(entry(`${age} days old`));
  }
  await seeding.close();
  const log = recordingLogger();
  const chat = new LocalChatDriver();
  const runtime = await createOpsbotRuntime({ config, chat: chat.chat, log, workDir: dir });
  try {
    const kept: string[] = [];
    for await (const record of streamAudit(runtime.store.audit)) kept.push(record.detail ?? '');
    return { kept, verify: await runtime.store.audit.verify(), infos: log.infos };
  } finally {
    await chat.end();
    await runtime.close();
  }
}

describe('audit retention', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-retention-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps 180 days by default, the seed\'s figure', () => {
    expect(loadConfig({}, dir).config.audit.retentionDays).toBe(180);
    expect(loadConfig({ OPSBOT_AUDIT_RETENTION_DAYS: '30' }, dir).config.audit.retentionDays).toBe(30);
  });

  it('prunes SQLite at start past the default 180 days, logs how many, and the rest verifies', async () => {
    const result = await pruneAtStart({ OPSBOT_DATA_DIR: join(dir, 'state') }, dir, async (config, now) =>
      openSqliteStateStore(join(config.dataDir, 'opsbot.db'), { now }),
    );
    expect(result.kept).toEqual(['100 days old', '10 days old', '0 days old']);
    expect(result.verify).toEqual({ ok: true, checked: 3 });
    expect(result.infos).toContainEqual({ details: { removed: 2 }, message: 'pruned audit records past retention' });
  }, 60_000);

  it('prunes by OPSBOT_AUDIT_RETENTION_DAYS', async () => {
    const result = await pruneAtStart({ OPSBOT_DATA_DIR: join(dir, 'state'), OPSBOT_AUDIT_RETENTION_DAYS: '30' }, dir, async (config, now) =>
      openSqliteStateStore(join(config.dataDir, 'opsbot.db'), { now }),
    );
    expect(result.kept).toEqual(['10 days old', '0 days old']);
    expect(result.verify).toEqual({ ok: true, checked: 2 });
    expect(result.infos).toContainEqual({ details: { removed: 3 }, message: 'pruned audit records past retention' });
  }, 60_000);
});

describePostgres('audit retention on Postgres', () => {
  let dir: string;
  let schema: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-retention-pg-'));
    schema = uniqueSchema('retention');
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  it('prunes the shared store at start too', async () => {
    const env = { OPSBOT_DATA_DIR: join(dir, 'state'), OPSBOT_DATABASE_URL: POSTGRES_URL, OPSBOT_DATABASE_SCHEMA: schema };
    const result = await pruneAtStart(env, dir, async (config, now) =>
      openPostgresStateStore({ connectionString: POSTGRES_URL, schema: config.databaseSchema, now }),
    );
    expect(result.kept).toEqual(['100 days old', '10 days old', '0 days old']);
    expect(result.verify).toEqual({ ok: true, checked: 3 });
    expect(result.infos).toContainEqual({ details: { removed: 2 }, message: 'pruned audit records past retention' });
    // The CLI reads the same pruned log.
    const store = await openStateStore(loadConfig(env, dir).config);
    try {
      expect((await store.audit.query()).map((r) => r.detail)).toEqual(['0 days old', '10 days old', '100 days old']);
    } finally {
      await store.close();
    }
  }, 60_000);
});
