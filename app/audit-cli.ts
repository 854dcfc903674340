import type { Writable } from 'node:stream';
import type { AuditFilter, OpsbotConfig } from '../core/index.js';
import { InvalidInputError, streamAudit } from '../core/index.js';
import { readSince } from '../intents/index.js';
import { AUDIT_EXPORT_FORMATS, writeAuditExport, writeAuditExportFile, type AuditExportFormat } from './audit-export.js';
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

/** `opsbot audit [--user U] [--action A] [--model M] [--since 24h|ISO] [--until 24h|ISO] [--limit N]`: JSON lines, newest first. */
export async function runAuditList(config: OpsbotConfig, filter: AuditFilter, output: Writable): Promise<void> {
  // Read as chat reads `audit --since`: a duration back from now, or a date.
  const now = Date.now();
  const since = filter.since === undefined ? undefined : readSince(filter.since, now);
  const until = filter.until === undefined ? undefined : readSince(filter.until, now);
  const store = await openStateStore(config);
  try {
    for (const record of await store.audit.query({ ...filter, since, until })) output.write(`${JSON.stringify(record)}\n`);
  } finally {
    await store.close();
  }
}

/** The flags `opsbot audit export` reads, as the command line gave them. */
export interface AuditExportOptions {
  format?: string;
  since?: string;
  until?: string;
  user?: string;
  action?: string;
  model?: string;
  out?: string;
  limit?: string;
}

/** The checked flags, or an InvalidInputError saying which one is wrong and how to write it. */
function readExportOptions(options: AuditExportOptions, now: number): { format: AuditExportFormat; filter: Omit<AuditFilter, 'limit'>; out?: string } {
  const format = options.format;
  if (format === undefined) throw new InvalidInputError(`audit export needs --format ${AUDIT_EXPORT_FORMATS.join('|')}`);
  if (!(AUDIT_EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidInputError(`audit export cannot write "${format}": use --format ${AUDIT_EXPORT_FORMATS.join(' or --format ')}`);
  }
  // An export is the whole matching log; a cut-off one would look complete to an auditor.
  if (options.limit !== undefined) throw new InvalidInputError('audit export writes every matching record; narrow it with --since/--until/--user/--action/--model, not --limit');
  if (options.out === '') throw new InvalidInputError('--out needs a file name');
  for (const [name, value] of [['user', options.user], ['action', options.action], ['model', options.model]] as const) {
    if (value === '') throw new InvalidInputError(`--${name} needs a value`);
  }
  const since = options.since === undefined ? undefined : readSince(options.since, now);
  const until = options.until === undefined ? undefined : readSince(options.until, now);
  if (since !== undefined && until !== undefined && since > until) {
    throw new InvalidInputError(`--since (${since}) is after --until (${until}): nothing could match`);
  }
  const filter = Object.fromEntries(
    Object.entries({ user: options.user, action: options.action, model: options.model, since, until }).filter(([, v]) => v !== undefined),
  ) as Omit<AuditFilter, 'limit'>;
  return { format: format as AuditExportFormat, filter, out: options.out };
}

/**
 * `opsbot audit export --format jsonl|csv [--since …] [--until …] [--user U] [--action A] [--model M] [--out FILE]`:
 * every matching record, oldest first, with its sequence and both hashes, streamed a page at a time.
 * Exit code 2 for a bad flag (nothing is written), 0 when the export is complete.
 */
export async function runAuditExport(config: OpsbotConfig, options: AuditExportOptions, io: { stdout: Writable; stderr: Writable }): Promise<number> {
  let read: ReturnType<typeof readExportOptions>;
  try {
    read = readExportOptions(options, Date.now());
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    io.stderr.write(`opsbot: ${error.userMessage}\n`);
    return 2;
  }
  const store = await openStateStore(config);
  try {
    let count = 0;
    const records = (async function* () {
      for await (const record of streamAudit(store.audit, read.filter)) {
        count += 1;
        yield record;
      }
    })();
    if (read.out === undefined) {
      await writeAuditExport(records, read.format, io.stdout);
    } else {
      await writeAuditExportFile(records, read.format, read.out);
      io.stdout.write(`exported ${count} audit records to ${read.out} (${read.format}, oldest first)\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
