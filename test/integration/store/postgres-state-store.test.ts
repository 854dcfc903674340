import { openPostgresStateStore, verifyPostgresAudit } from '../../../store/index.js';
import { SCHEMA_VERSION } from '../../../store/postgres/schema.js';
import { describePostgres, dropSchema, POSTGRES_URL, runSql, uniqueSchema } from '../../helpers/postgres.js';
import { defineStateStoreContract } from '../../helpers/store-contract.js';

describePostgres('PostgresStateStore', () => {
  let schema = '';

  defineStateStoreContract(
    'postgres',
    async () => openPostgresStateStore({ connectionString: POSTGRES_URL, schema: (schema = uniqueSchema('contract')) }),
    () => dropSchema(schema),
  );

  describe('specifics', () => {
    beforeEach(() => {
      schema = uniqueSchema('store');
    });
    afterEach(() => dropSchema(schema));

    const open = (now?: () => Date) => openPostgresStateStore({ connectionString: POSTGRES_URL, schema, now });
    const appendOne = (store: Awaited<ReturnType<typeof open>>) =>
      store.audit.append({ platform: 'local', workspace: '', userId: 'a', userName: 'a', outcome: 'accepted' });

    it('migrates once when several processes open a new schema together, and reopens keeping the data', async () => {
      const stores = await Promise.all(Array.from({ length: 4 }, () => open()));
      await Promise.all(stores.map((store) => store.close()));
      expect(await runSql(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`)).toEqual(
        Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })),
      );
      const first = await open();
      await appendOne(first);
      await first.close();
      await first.close(); // closing twice is harmless
      const second = await open();
      expect(await second.audit.verify()).toEqual({ ok: true, checked: 1 });
      await second.close();
    });

    it('opens an up-to-date schema as a role that may only read and write rows', async () => {
      await (await open()).close();
      const role = uniqueSchema('role');
      await runSql(`CREATE ROLE ${role} LOGIN`);
      try {
        await runSql(`GRANT USAGE ON SCHEMA "${schema}" TO ${role};
          GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO ${role};
          GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${schema}" TO ${role}`);
        const url = new URL(POSTGRES_URL);
        url.username = role;
        const store = await openPostgresStateStore({ connectionString: url.toString(), schema });
        await appendOne(store);
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 1 });
        await store.close();
      } finally {
        await runSql(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
      }
    });

    it('upgrades a schema written before blue-green deployments, keeping its data', async () => {
      const first = await open();
      await appendOne(first);
      await first.close();
      // Put the schema back as the previous release left it: without the blue-green tables, at version 2.
      await runSql(`DROP TABLE "${schema}".approval_votes, "${schema}".blue_green_deployments, "${schema}".serving_slots, "${schema}".alert_groups, "${schema}".rule_alerts;
        DELETE FROM "${schema}".schema_migrations WHERE version > 2`);

      const upgraded = await open();
      try {
        expect(await upgraded.audit.verify()).toEqual({ ok: true, checked: 1 });
        const slot = await upgraded.blueGreen.saveSlot({ model: 'm', env: 'prod', live: 'blue', colours: { blue: { version: 1, scaling: { replicas: 1 } } } });
        expect(await upgraded.blueGreen.slots()).toEqual([slot]);
        expect(await runSql(`SELECT max(version) AS version FROM "${schema}".schema_migrations`)).toEqual([{ version: SCHEMA_VERSION }]);
      } finally {
        await upgraded.close();
      }
    });

    it('refuses a schema written by a newer opsbot', async () => {
      await (await open()).close();
      await runSql(`INSERT INTO "${schema}".schema_migrations (version) VALUES ($1)`, [SCHEMA_VERSION + 1]);
      await expect(open()).rejects.toThrow(/newer than this opsbot understands/);
    });

    it('uses the injected clock and accepts since/until in any ISO form, rejecting a non-time', async () => {
      const at = new Date('2026-03-01T10:00:00.000Z');
      const store = await open(() => at);
      try {
        expect((await appendOne(store)).at).toBe(at.toISOString());
        const job = await store.jobs.create({
          id: 'j-clock001',
          kind: 'train',
          args: {},
          requestedBy: { platform: 'local', workspace: '', userId: 'a', displayName: 'a' },
          conversation: { platform: 'local', workspace: '', channelId: 'c' },
          text: 'train',
        });
        expect(job.createdAt).toBe(at.toISOString());
        expect(await store.audit.query({ since: '2026-03-01T10:00:00Z' })).toHaveLength(1);
        expect(await store.audit.query({ until: '2026-03-01T11:00:00+01:00' })).toHaveLength(1);
        expect(await store.audit.query({ since: '2026-03-01T10:00:00.001Z' })).toHaveLength(0);
        await expect(store.audit.query({ since: 'yesterday' })).rejects.toMatchObject({ code: 'invalid_input' });
      } finally {
        await store.close();
      }
    });

    it('verifyPostgresAudit verifies a schema and refuses one opsbot never set up, creating nothing', async () => {
      const store = await open();
      await appendOne(store);
      await store.close();
      expect(await verifyPostgresAudit(POSTGRES_URL, schema)).toEqual({ ok: true, checked: 1 });
      const missing = uniqueSchema('missing');
      await expect(verifyPostgresAudit(POSTGRES_URL, missing)).rejects.toMatchObject({ code: 'not_found' });
      expect(await runSql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [missing])).toEqual([]);
    });
  });
});
