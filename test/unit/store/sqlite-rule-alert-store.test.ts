import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStateStore } from '../../../store/index.js';
import { defineRuleAlertStoreContract, ruleAlert } from '../../helpers/rule-alert-store-contract.js';

defineRuleAlertStoreContract('sqlite', async () => openSqliteStateStore(':memory:'));

describe('SqliteRuleAlertStore specifics', () => {
  it('keeps a fired alert in the file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-rule-alerts-'));
    try {
      const path = join(dir, 'state.db');
      const first = openSqliteStateStore(path);
      await first.ruleAlerts.save(ruleAlert(), 0);
      await first.close();
      const second = openSqliteStateStore(path);
      expect(await second.ruleAlerts.list()).toEqual([{ ...ruleAlert(), revision: 1 }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
