import { openPostgresStateStore } from '../../../store/index.js';
import { defineRuleAlertStoreContract } from '../../helpers/rule-alert-store-contract.js';
import { describePostgres, dropSchema, POSTGRES_URL, uniqueSchema } from '../../helpers/postgres.js';

describePostgres('PostgresRuleAlertStore', () => {
  let schema = '';
  defineRuleAlertStoreContract(
    'postgres',
    async () => openPostgresStateStore({ connectionString: POSTGRES_URL, schema: (schema = uniqueSchema('rulealerts')) }),
    () => dropSchema(schema),
  );
});
