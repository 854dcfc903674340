import type { Writable } from 'node:stream';
import type { AuditFilter, OpsbotConfig } from '../core/index.js';
import { readSince } from '../intents/index.js';
import { verifyAuditFile, verifyPostgresAudit } from '../store/index.js';
import { databasePath, describeStateStore, openStateStore } from './open-state-store.js';

/** `opsbot audit verify`: exit code 0 when the chain is intact, 1 naming the first bad record otherwise. */
export async function runAuditVerify(config: OpsbotConfig, output: Writable): Promise<number> {
  const where = describeStateStore(config);
  const result = config.databaseUrl ? await verifyPostgresAudit(config.databaseUrl, config.databaseSchema) : await verifyAuditFile(databasePath(config));
  if (result.ok) {
    output.write(`audit log OK: ${result.checked} records verified in ${where}\n`);
    return 0;
  }
  output.write(`audit log TAMPERED: first bad record is #${result.firstBadSeq}: ${result.reason} (${result.checked} records verified before it)\n`);
  return 1;
}

/** `opsbot audit [--user U] [--action A] [--model M] [--since 24h|ISO] [--limit N]`: JSON lines, newest first. */
export async function runAuditList(config: OpsbotConfig, filter: AuditFilter, output: Writable): Promise<void> {
  // Read as chat reads `audit --since`: a duration back from now, or a date.
  const since = filter.since === undefined ? undefined : readSince(filter.since, Date.now());
  const store = await openStateStore(config);
  try {
    for (const record of await store.audit.query({ ...filter, since })) output.write(`${JSON.stringify(record)}\n`);
  } finally {
    await store.close();
  }
}
