/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PermanentJobError } from '../../../../core/index.js';
import { startJobRunner, type JobRunnerHarness } from '../../../helpers/job-runner-harness.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

/** An evaluation set only needs examples to score: training's row and label minimums do not apply to it. */
describe('evaluate on a small or single-label dataset', () => {
  let harness: JobRunnerHarness;
  const evaluateOn = (dataset: string) => harness.run({ action: 'evaluate', args: { model: 'sentiment', version: '1', dataset } });
  /** The message a failed evaluation shows, checking it is permanent (not retried). */
  const failure = async (dataset: string): Promise<string> => {
    const error = await evaluateOn(dataset).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    return (error as PermanentJobError).userMessage;
  };
  const write = (name: string, rows: string[]) => writeFileSync(join(harness.dir, name), `text,label\n${rows.join('\n')}\n`);

  beforeAll(async () => {
    harness = startJobRunner();
    writeSentimentCsv(harness.dir, 300);
    await harness.run({ action: 'train', args: { model: 'sentiment', dataset: 'sentiment.csv', epochs: 1 } });
  });
  afterAll(() => harness.close());

  it('scores a set with one label and three rows, saying which metrics need two classes', async () => {
    write('positives.csv', ['"fast stable release",positive', '"great clean polished app",positive', '"reliable and helpful",positive']);
    const result = await evaluateOn('positives.csv');
    expect(result.summary).toMatch(/^sentiment v1 on positives.csv \(3 examples\): accuracy \d+\.\d%/);
    expect(result.details).toMatchObject({ examples: 3, MCC: 'n/a (the data has a single class)' });
  });

  it('scores a single row', async () => {
    write('one.csv', ['"slow buggy build",negative']);
    expect((await evaluateOn('one.csv')).summary).toMatch(/^sentiment v1 on one.csv \(1 examples\)/);
  });

  it('refuses an empty set, saying at least one row is needed', async () => {
    write('empty.csv', []);
    expect(await failure('empty.csv')).toBe('dataset empty.csv has 0 rows; at least 1 is needed to evaluate on');
  });

  it('notes labels the model never saw, and refuses a set that has none of the model’s labels', async () => {
    write('some-unknown.csv', ['"fast stable release",positive', '"the app is fine",neutral']);
    expect((await evaluateOn('some-unknown.csv')).summary).toMatch(/The data has labels the model never saw: neutral\.$/);
    write('renamed.csv', ['"fast stable release",pos', '"slow buggy build",neg']);
    expect(await failure('renamed.csv')).toBe(
      'none of the labels in renamed.csv (pos, neg) is one sentiment v1 predicts (negative, positive); check the label column, or evaluate a model trained on these labels',
    );
  });
});
