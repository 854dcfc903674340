/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { fileURLToPath } from 'node:url';
import { externalTrainerSchema } from '../../../../core/config/external-trainer.schema.js';
import { PermanentJobError } from '../../../../core/index.js';
import { startJobRunner, type JobRunnerHarness } from '../../../helpers/job-runner-harness.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

const trainerScript = fileURLToPath(new URL('../../../fixtures/external-trainers/metrics-trainer.mjs', import.meta.url));

/** What the built-in jobs say about versions a model's own external trainer made. */
describe('jobs on a model with an external trainer', () => {
  let harness: JobRunnerHarness;

  /** The message a failed job shows, checking it is permanent (not retried). */
  const failure = async (run: Promise<unknown>): Promise<string> => {
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    return (error as PermanentJobError).userMessage;
  };

  beforeAll(async () => {
    harness = startJobRunner({
      models: {
        'bert-intents': {
          trainer: externalTrainerSchema.parse({ command: `"${process.execPath}" "${trainerScript}" --data {dataset} --epochs {epochs} --out {artifact}`, timeoutSeconds: 30 }),
        },
      },
    });
    writeSentimentCsv(harness.dir, 50);
    await harness.run({ action: 'train', args: { model: 'bert-intents', dataset: 'sentiment.csv', epochs: 2 } });
  });
  afterAll(() => harness.close());

  it('quantize refuses at once, saying it only works on built-in models', async () => {
    expect(await failure(harness.run({ action: 'quantize', args: { model: 'bert-intents', version: '1' } }))).toBe(
      "bert-intents v1 was made by its own external trainer; quantize only works on versions trained by opsbot's built-in trainer, so quantize it with that trainer's tooling",
    );
  });
});
