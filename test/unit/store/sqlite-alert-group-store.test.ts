import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStateStore } from '../../../store/index.js';
import { defineAlertGroupStoreContract, newAlertGroup } from '../../helpers/alert-group-store-contract.js';

defineAlertGroupStoreContract('sqlite', async () => openSqliteStateStore(':memory:'));

describe('SqliteAlertGroupStore specifics', () => {
  it('keeps a group and its parent ref in the file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-alerts-'));
    try {
      const path = join(dir, 'state.db');
      const first = openSqliteStateStore(path);
      const created = (await first.alertGroups.create(newAlertGroup()))!;
      await first.alertGroups.update(created.id, 1, { parentRef: 'C1:171.1' });
      await first.close();
      const second = openSqliteStateStore(path);
      expect(await second.alertGroups.create(newAlertGroup())).toBeUndefined();
      expect(await second.alertGroups.get(created.id)).toMatchObject({ parentRef: 'C1:171.1', revision: 2 });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migration 4 adds alert_groups to a database at version 3, keeping its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-alerts-'));
    try {
      const path = join(dir, 'state.db');
      const first = openSqliteStateStore(path);
      await first.audit.append({ platform: 'local', workspace: '', userId: 'a', userName: 'a', outcome: 'accepted' });
      await first.close();
      const db = new Database(path);
      db.exec('DROP TABLE alert_groups; DROP TABLE rule_alerts');
      db.pragma('user_version = 3');
      db.close();
      const upgraded = openSqliteStateStore(path);
      expect(await upgraded.audit.verify()).toEqual({ ok: true, checked: 1 });
      expect(await upgraded.alertGroups.create(newAlertGroup())).toMatchObject({ revision: 1 });
      await upgraded.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
