import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runAuditList } from '../../../app/audit-cli.js';
import { openStateStore } from '../../../app/open-state-store.js';
import { auditEntryFor, defaultConfig, InvalidInputError, type OpsbotConfig } from '../../../core/index.js';
import { alice, terminal } from '../../helpers/fixtures.js';

describe('opsbot audit --since', () => {
  let config: OpsbotConfig;

  beforeAll(async () => {
    config = { ...defaultConfig(), dataDir: mkdtempSync(join(tmpdir(), 'opsbot-audit-cli-')) };
    const store = await openStateStore(config);
    await store.audit.append(auditEntryFor({ identity: alice, conversation: terminal, text: 'status' }, 'completed'));
    await store.close();
  });
  afterAll(() => rmSync(config.dataDir, { recursive: true, force: true }));

  async function list(since: string): Promise<string[]> {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    await runAuditList(config, { since }, output);
    return text.trim().split('\n').filter(Boolean);
  }

  it('reads a duration as chat does', async () => {
    expect(await list('24h')).toHaveLength(1);
    expect(await list('2026-01-31')).toHaveLength(1);
    expect(await list('2999-01-01')).toHaveLength(0);
  });

  it('refuses what chat refuses, with the same words', async () => {
    await expect(list('yesterday')).rejects.toThrow(InvalidInputError);
    await expect(list('yesterday')).rejects.toThrow(
      'I could not read the time "yesterday": use a duration such as 30m, 24h or 7d, or a date such as 2026-01-31',
    );
  });
});
