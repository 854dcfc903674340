import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/run-cli.js';

describe('opsbot parse with natural language', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-parse-nl-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON object per line: commands as before, sentences with their source, none and missing pieces', async () => {
    const input = [
      'deploy sentiment v2 to production',
      'the new sentiment model is broken in staging, revert it',
      'can you kick off training for the fraud model',
      'the deploy meeting is at 3',
      'please ship churn v4',
      'roll back fraud and churn in prod',
    ].join('\n');
    const result = await runCli(['parse', '--models', 'sentiment,fraud,churn'], { cwd: dir, input: `${input}\n` });
    expect(result.code).toBe(0);
    const [command, rollback, train, chatter, deploy, ambiguous] = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(command).toEqual({ action: 'deploy', args: { model: 'sentiment', version: '2', env: 'prod' }, confidence: 1, source: 'grammar' });
    expect(rollback).toMatchObject({ action: 'rollback', args: { model: 'sentiment', env: 'staging' }, source: 'model' });
    expect(train).toMatchObject({ action: 'train', args: { model: 'fraud' }, source: 'model' });
    expect(chatter).toMatchObject({ action: 'none', source: 'model' });
    expect(deploy).toMatchObject({ action: 'deploy', args: { model: 'churn', version: '4' }, missing: ['env'] });
    expect(ambiguous).toMatchObject({ action: 'rollback', args: { env: 'prod' }, missing: ['model'], ambiguous: { model: ['fraud', 'churn'] } });
    for (const line of [rollback, train, chatter, deploy]) expect(typeof line!.confidence).toBe('number');
  }, 60_000);

  it('guesses model names from the sentence when there is no registry', async () => {
    const result = await runCli(['parse'], { cwd: dir, input: 'please roll back the churn model in prod\n' });
    expect(JSON.parse(result.stdout)).toMatchObject({ action: 'rollback', args: { model: 'churn', env: 'prod' }, source: 'model' });
  }, 60_000);
});
