import { startEmbeddedBot, type EmbeddedBot } from '../../../helpers/embedded-bot.js';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpsbotRuntime } from '../../../../app/runtime.js';
import { formatLoss } from '../../../../core/index.js';
import { describeTrialConfig } from '../../../../workers/tuning/trainer-search-space.js';
import { eventually } from '../../../helpers/eventually.js';
import type { LocalChatDriver } from '../../../helpers/local-chat-driver.js';
import { writeNoisySentimentCsv, writeSentimentCsv } from '../../../helpers/text-dataset.js';

/** `tune` typed into the local chat, queued, run by the in-process worker and registered: the embedded default end to end. */
describe('tune through the in-process runtime', () => {
  let bot: EmbeddedBot;
  let dir: string;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;
  const stateDir = () => join(dir, 'state');

  beforeEach(async () => {
    bot = await startEmbeddedBot({ prepare: (d) => writeNoisySentimentCsv(d, 400) });
    ({ dir, runtime, chat } = bot);
  });

  afterEach(() => bot.stop());

  const jobOutcomes = (jobId: string) => bot.jobOutcomes(jobId);

  it('runs the trials on the latest version’s dataset, registers the best trial as the next version with its settings, and keeps only its files', async () => {
    chat.type('train sentiment --dataset sentiment.csv --epochs 2');
    await chat.waitFor(/Trained sentiment v1/);
    chat.type('tune sentiment --trials 3 --method bayes --epochs 3');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): tune sentiment on sentiment.csv — queued/);
    await chat.waitFor(/Tuned sentiment over 3 trials \(Bayesian optimisation \(TPE\)\) in \d+\.\d s: trial \d won with val loss \S+ \(.*\) and is registered as v2: test accuracy/);
    expect(await jobOutcomes(jobId as string)).toEqual(['accepted', 'started', 'completed']);

    const v2 = await runtime.store.registry.getVersion('sentiment', 2);
    if (!v2) throw new Error('sentiment v2 is not registered');
    expect(v2).toMatchObject({ jobId, dataset: 'sentiment.csv', createdBy: 'local:alice' });
    expect(v2.params).toMatchObject({ mode: 'full', epochs: 3, seed: 42, tuned: { method: 'bayes', trials: 3, objective: 'val_loss' } });
    const winner = (v2.params.tuned as { trial: number }).trial;

    // The result lists every trial, the winner first; the version holds the winner's settings and validation loss.
    const result = (await runtime.store.jobs.get(jobId as string))?.result;
    const rows = Object.entries(result?.details ?? {}).filter(([key]) => key.startsWith('trial '));
    expect(rows).toHaveLength(3);
    expect(rows[0]?.[0]).toBe(`trial ${winner} (best)`);
    const losses = rows.map(([, value]) => Number(/val loss (\S+)/.exec(String(value))?.[1]));
    expect(new Set(losses).size).toBe(3);
    expect(losses[0]).toBeLessThanOrEqual(Math.min(...losses) * 1.001);
    const { algorithm, learningRate, l2, hidden, batchSize } = v2.params as { algorithm: 'softmax' | 'mlp'; learningRate: number; l2: number; hidden?: number; batchSize: number };
    expect(String(rows[0]?.[1])).toBe(
      `${describeTrialConfig({ algorithm, settings: { learningRate, l2, batchSize, ...(hidden === undefined ? {} : { hidden }) } })} → val loss ${formatLoss(v2.metrics.val_loss as number)} · acc ${v2.metrics.val_accuracy?.toFixed(3)}`,
    );
    expect(result?.history?.length).toBe(v2.params.epochsRun);
    expect(result?.nextSteps).toEqual([
      { label: 'Evaluate v2', command: 'evaluate sentiment v2' },
      { label: 'Deploy v2 to staging', command: 'deploy sentiment v2 to staging' },
    ]);

    // Only the winner's files are left, where the registry points, ONNX included.
    expect(v2.artifactPath).toBe(join('models', 'sentiment', jobId as string, `trial-${winner}`, 'model.json'));
    expect(readdirSync(join(stateDir(), 'models', 'sentiment', jobId as string))).toEqual([`trial-${winner}`]);
    expect(existsSync(join(stateDir(), dirname(v2.artifactPath), 'model.onnx'))).toBe(true);

    chat.type('evaluate sentiment v2');
    await chat.waitFor(/sentiment v2 on the test split of sentiment.csv/);
  }, 30_000);

  it('cancels during trial 2, registers nothing and deletes the trials’ files', async () => {
    writeSentimentCsv(dir, 4000, 'big.csv');
    chat.type('tune big --dataset big.csv --trials 3 --method grid --epochs 40');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): tune big/);
    const progress = async () => (await runtime.store.jobs.get(jobId as string))?.progress?.message ?? '';
    await eventually('trial 2 training', async () => /^\d of 3 trials done · trial 2 · .* · epoch \d+\/40/.test(await progress()), 20_000);
    // The bar is the search's: trials finished plus the running trial's epochs, so it moves while all run at once.
    expect((await runtime.store.jobs.get(jobId as string))?.progress?.percent).toBeGreaterThan(0);
    chat.type(`cancel ${jobId}`);
    await eventually('cancelled', async () => (await runtime.store.jobs.get(jobId as string))?.status === 'cancelled');
    await chat.waitFor(new RegExp(`Job ${jobId}: tune big on big.csv — cancelled`));
    expect(await jobOutcomes(jobId as string)).toEqual(['accepted', 'started', 'completed', 'cancelled']);
    expect(await runtime.store.registry.listVersions('big')).toEqual([]);
    const jobDir = join(stateDir(), 'models', 'big', jobId as string);
    expect(existsSync(jobDir) ? readdirSync(jobDir) : []).toEqual([]);
  }, 30_000);

  it('fails on a bad dataset at the first trial, without retrying or leaving files', async () => {
    writeFileSync(join(dir, 'unlabelled.csv'), 'text,score\nhello,1\n');
    chat.type('tune sentiment --dataset unlabelled.csv --trials 3');
    await chat.waitFor(/tune sentiment on unlabelled.csv — failed\n.*dataset unlabelled.csv has no "label"/);
    const [job] = await runtime.store.jobs.list({ limit: 1 });
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(existsSync(join(stateDir(), 'models'))).toBe(false);
  });
});
