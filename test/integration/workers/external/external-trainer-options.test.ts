import { fixtureTrainer } from '../../../helpers/fixture-trainer.js';
import { startEmbeddedBot, type EmbeddedBot } from '../../../helpers/embedded-bot.js';
import { writeSentimentCsv } from '../../../helpers/text-dataset.js';

/** Options only the built-in trainer honours are refused for a model with an external trainer, before a job exists. */
describe('train with built-in trainer options, for a model with an external trainer', () => {
  let bot: EmbeddedBot;

  beforeEach(async () => {
    bot = await startEmbeddedBot({
      prepare: (dir) => writeSentimentCsv(dir, 50),
      configure: (config) => {
        config.models = {
          'bert-intents': { trainer: fixtureTrainer('metrics-trainer.mjs') },
        };
      },
    });
  });
  afterEach(() => bot.stop());

  it.each([
    ['--mode incremental', '--mode incremental'],
    ['--algorithm mlp --epochs 2', '--algorithm mlp'],
    ['--mode finetune --base sentiment', '--mode finetune, --base sentiment'],
  ])('refuses %s, naming what would be ignored', async (options, ignored) => {
    bot.chat.type(`train bert-intents --dataset sentiment.csv ${options}`);
    await bot.chat.waitFor(
      new RegExp(
        `bert-intents is trained by its own external trainer, which ignores the built-in trainer's options \\(${ignored}\\); drop them: train bert-intents \\[--dataset <path>\\] \\[--epochs N\\] \\[--gpus N\\]`,
      ),
    );
    expect(await bot.runtime.store.jobs.list()).toEqual([]);
  });

  it('still trains with the options the external trainer gets', async () => {
    bot.chat.type('train bert-intents --dataset sentiment.csv --epochs 2');
    await bot.chat.waitFor(/Trained bert-intents v1 with its external trainer in [\d.]+ s \(2 epochs\)/);
  });
});
