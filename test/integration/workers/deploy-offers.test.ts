import { environmentSchema, type JobResult } from '../../../core/index.js';
import { fixtureTrainer } from '../../helpers/fixture-trainer.js';
import { startEmbeddedBot, type EmbeddedBot } from '../../helpers/embedded-bot.js';
import { writeSentimentCsv } from '../../helpers/text-dataset.js';

/** The deploy button of a new version names an environment the config has, so the command it sends works. */
describe('deploy offers with environments dev and prod (no staging)', () => {
  let bot: EmbeddedBot;

  beforeAll(async () => {
    bot = await startEmbeddedBot({
      prepare: (dir) => writeSentimentCsv(dir, 200),
      configure: (config) => {
        config.environments = [environmentSchema.parse({ name: 'dev' }), environmentSchema.parse({ name: 'prod', protected: true })];
        config.models = {
          'bert-intents': { trainer: fixtureTrainer('metrics-trainer.mjs') },
        };
      },
    });
  });
  afterAll(() => bot.stop());

  /** Types a job command, waits for its reply and returns the job's result. */
  const runJob = async (command: string, reply: RegExp): Promise<JobResult | undefined> => {
    bot.chat.type(command);
    const [, jobId] = await bot.chat.waitFor(new RegExp(`Job (j-[0-9a-z]+): ${command.split(' ').slice(0, 2).join(' ')}`));
    await bot.chat.waitFor(reply, 30_000);
    return (await bot.runtime.store.jobs.get(jobId as string))?.result;
  };
  const deployOffer = (result: JobResult | undefined) => result?.nextSteps?.find((step) => step.command.startsWith('deploy'));

  it('train, quantize and tune offer dev, an external trainer offers no deploy (opsbot cannot serve it), and the offered command deploys', async () => {
    const trained = await runJob('train sentiment --dataset sentiment.csv --epochs 2', /Trained sentiment v1/);
    expect(deployOffer(trained)).toEqual({ label: 'Deploy v1 to dev', command: 'deploy sentiment v1 to dev' });
    const quantized = await runJob('quantize sentiment v1', /Quantized sentiment v1 to INT8 as v2/);
    expect(deployOffer(quantized)).toEqual({ label: 'Deploy v2 to dev', command: 'deploy sentiment v2 to dev' });
    const tuned = await runJob('tune sentiment --trials 2 --method grid --epochs 1', /Tuned sentiment over 2 trials/);
    expect(deployOffer(tuned)).toEqual({ label: 'Deploy v3 to dev', command: 'deploy sentiment v3 to dev' });
    const external = await runJob('train bert-intents --dataset sentiment.csv --epochs 2', /Trained bert-intents v1 with its external trainer/);
    expect(deployOffer(external)).toBeUndefined();

    bot.chat.type(deployOffer(trained)?.command ?? '');
    await bot.chat.waitFor(/sentiment v1 is live in dev on the blue colour, its first deployment there/, 30_000);
    bot.chat.type('deploy bert-intents v1 to dev');
    await bot.chat.waitFor(/bert-intents v1 was made by its own external trainer, whose artifact opsbot's model server cannot run/);
  }, 60_000);
});
