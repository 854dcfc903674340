/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newJobId, type JobAction, type JobResult, type StateStore } from '../../../../core/index.js';
import { startJobRunner, type JobRunnerHarness } from '../../../helpers/job-runner-harness.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

/** evaluate through the real job runner, on versions the real train handler registered. */
describe('evaluate handler', () => {
  let harness: JobRunnerHarness;
  let dir: string;
  let store: StateStore;

  const run = (action: JobAction): Promise<JobResult> => harness.run(action);
  const evaluate = (version: number, dataset?: string) =>
    run({ action: 'evaluate', args: { model: 'sentiment', version: String(version), ...(dataset ? { dataset } : {}) } });
  const deploy = (version: number, env: string) =>
    store.deployments.record({ model: 'sentiment', env, version, change: 'deploy', jobId: newJobId(), by: 'local:alice' });

  beforeAll(async () => {
    harness = startJobRunner();
    ({ dir, store } = harness);
    writeSentimentCsv(dir, 300);
    await run({ action: 'train', args: { model: 'sentiment', dataset: 'sentiment.csv', epochs: 1 } });
    await run({ action: 'train', args: { model: 'sentiment', dataset: 'sentiment.csv', epochs: 2 } });
  });

  afterAll(() => harness.close());

  it('scores the held-out test split with nothing deployed, and offers staging', async () => {
    const result = await evaluate(2);
    expect(result.summary).toMatch(
      /^sentiment v2 on the test split of sentiment.csv \(\d+ examples\): accuracy \d+\.\d%, macro F1 \d\.\d{4}\. No version of sentiment is deployed to compare with\.$/,
    );
    expect(result.confusion?.labels.sort()).toEqual(['negative', 'positive']);
    expect(result.confusion?.counts.flat().reduce((a, b) => a + b, 0)).toBe(result.details?.examples);
    expect(Object.keys(result.details ?? {})).toEqual(expect.arrayContaining(['accuracy', 'macro F1', 'MCC', 'log loss', 'top-2 accuracy', 'ROC-AUC (one-vs-rest, macro)']));
    expect(result.nextSteps).toEqual([{ label: 'Deploy to staging', command: 'deploy sentiment v2 to staging' }]);
    expect(JSON.stringify(result)).not.toMatch(/NaN|null|Infinity/);
  });

  it('compares with the version deployed in the most production-like environment, on the same examples', async () => {
    await deploy(2, 'dev');
    await deploy(1, 'staging');
    await deploy(1, 'prod');
    const result = await evaluate(2);
    expect(result.summary).toMatch(/Against v1 deployed in prod: better on \d+, worse on \d+, tied on \d+ of 10 metrics\.$/);
    expect(result.details?.['compared with']).toBe('v1, deployed in prod (★ marks the better value)');
    expect(String(result.details?.['log loss'])).toMatch(/^(★ )?\d+\.\d{4} vs (★ )?\d+\.\d{4} \(([▲▼] [+−]\d+\.\d{4}|tie)\)$/);
  });

  it('says so when the evaluated version is the deployed one', async () => {
    const result = await evaluate(1);
    expect(result.summary).toMatch(/v1 is the version deployed in prod\.$/);
    expect(result.nextSteps).toEqual([]);
  });

  it('scores a named dataset, noting labels the model never saw', async () => {
    const rows = ['"fast stable release",positive', '"slow buggy build",negative', '"the app is fine",neutral'];
    writeFileSync(join(dir, 'other.csv'), `text,label\n${[...rows, ...rows, ...rows, ...rows].join('\n')}\n`);
    const result = await evaluate(2, 'other.csv');
    expect(result.summary).toMatch(/^sentiment v2 on other.csv \(12 examples\)/);
    expect(result.summary).toMatch(/The data has labels the model never saw: neutral\./);
    expect(result.confusion?.labels).toContain('neutral');
  });

  it('still reports the evaluation when the deployed version cannot be scored', async () => {
    const v1 = await store.registry.getVersion('sentiment', 1);
    rmSync(join(dir, 'state', v1?.artifactPath ?? 'missing'), { recursive: true, force: true });
    const result = await evaluate(2);
    expect(result.summary).toMatch(/Could not compare with v1 deployed in prod: /);
    expect(result.details?.accuracy).toMatch(/^\d\.\d{4}$/);
  });
});
