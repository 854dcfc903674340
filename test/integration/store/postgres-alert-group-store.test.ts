import { openPostgresStateStore } from '../../../store/index.js';
import { defineAlertGroupStoreContract } from '../../helpers/alert-group-store-contract.js';
import { describePostgres, dropSchema, POSTGRES_URL, uniqueSchema } from '../../helpers/postgres.js';

describePostgres('PostgresAlertGroupStore', () => {
  let schema = '';
  defineAlertGroupStoreContract(
    'postgres',
    async () => openPostgresStateStore({ connectionString: POSTGRES_URL, schema: (schema = uniqueSchema('alerts')) }),
    () => dropSchema(schema),
  );
});
