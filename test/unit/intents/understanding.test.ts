import { createUnderstander, formatCommand, type UnderstandContext, type Understanding } from '../../../intents/index.js';
import { createCommandParser } from '../../../intents/index.js';
import type { ActionName } from '../../../core/index.js';
import { argsForIntent } from '../../../intents/nl/args-for-intent.js';

/** The default config's environments, a small registry, and replica counts for "double it". */
const context: UnderstandContext = {
  limits: { environments: ['dev', 'staging', 'prod'], maxReplicas: 50, maxEpochs: 1000, maxGpus: 8 },
  environments: [
    { name: 'dev', aliases: ['development'] },
    { name: 'staging', aliases: ['stage', 'stg'] },
    { name: 'prod', aliases: ['production', 'prd'] },
  ],
  knownModels: ['fraud', 'churn', 'sentiment', 'ticket-router', 'spam-filter'],
  currentReplicas: (model, env) => (model === 'churn' && env === 'prod' ? 4 : undefined),
  now: () => Date.parse('2026-11-25T12:00:00.000Z'),
};
const understander = createUnderstander(context);
const understand = (text: string) => understander.understand(text);

function actionOf(u: Understanding): { action: string; args: unknown } | string {
  if (u.kind === 'action') return { action: u.action.action, args: u.action.args };
  return `${u.kind}: ${JSON.stringify(u)}`;
}

describe('understanding: the grammar first', () => {
  it('answers commands exactly as the grammar does, with confidence 1', async () => {
    const u = await understand('deploy sentiment v2 to production');
    expect(u).toMatchObject({ kind: 'action', source: 'grammar', confidence: 1, action: { action: 'deploy', args: { model: 'sentiment', version: '2', env: 'prod' } } });
  });

  it('keeps the grammar\'s message for a mistyped command word it recognises', async () => {
    expect(await understand('deploy sentimnt v2 to staging')).toEqual({
      kind: 'invalid',
      message: 'unknown model "sentimnt" — did you mean "sentiment"?',
      confidence: 1,
      source: 'grammar',
    });
  });
});

describe('understanding: sentences', () => {
  it.each([
    ['can you kick off training for the fraud model', { action: 'train', args: { model: 'fraud' } }],
    ['the new sentiment model is broken in staging, revert it', { action: 'rollback', args: { model: 'sentiment', env: 'staging' } }],
    ['churn v4 is misbehaving in prod, restore the old one', { action: 'rollback', args: { model: 'churn', env: 'prod', version: 'previous' } }],
    ['please ship churn version three to prdo', { action: 'deploy', args: { model: 'churn', version: '3', env: 'prod' } }],
    ['give sentiment four replicas in staging', { action: 'scale', args: { model: 'sentiment', env: 'staging', replicas: 4 } }],
    ['churn in prod is overloaded, double it', { action: 'scale', args: { model: 'churn', env: 'prod', replicas: 8 } }],
    ['autoscale fraud in dev between 2 and 6', { action: 'scale', args: { model: 'fraud', env: 'dev', min: 2, max: 6 } }],
    ['retrain spam-filter on data/spam-2026.csv for twenty epochs with 2 gpus', { action: 'train', args: { model: 'spam-filter', dataset: 'data/spam-2026.csv', epochs: 20, gpus: 2 } }],
    ['how accurate is churn v3 on data/holdout.csv?', { action: 'evaluate', args: { model: 'churn', version: '3', dataset: 'data/holdout.csv' } }],
    ['kill j-4f9k2a7q, it is stuck', { action: 'cancel', args: { jobId: 'j-4f9k2a7q' } }],
    ['show me the loss curve of j-4f9k2a7q', { action: 'curve', args: { jobId: 'j-4f9k2a7q' } }],
    ["what's running?", { action: 'status', args: {} }],
    ['make the latest fraud model smaller with int8', { action: 'quantize', args: { model: 'fraud', version: 'latest' } }],
  ])('%s', async (text, expected) => {
    expect(actionOf(await understand(text))).toEqual(expected);
  });

  it('resolves a part of a registered name and says so', async () => {
    const u = await understand('could you deploy the router v2 to staging');
    expect(actionOf(u)).toEqual({ action: 'deploy', args: { model: 'ticket-router', version: '2', env: 'staging' } });
    expect(u.kind === 'action' && u.corrections).toEqual([{ slot: 'model', from: 'router', to: 'ticket-router' }]);
  });

  it('names an unknown model with the registry\'s list instead of guessing', async () => {
    const u = await understand('could you deploy the zebra model v2 to staging');
    expect(u).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/unknown model "zebra"; known models are/) });
  });

  it('answers chatter and near misses with none', async () => {
    for (const text of ['the deploy meeting is at 3', 'good morning everyone', 'kubectl get pods', 'what is the capital of france']) {
      expect((await understand(text)).kind).toBe('none');
    }
  });

  it('asks for the environment of a deploy instead of guessing it, with a button per environment', async () => {
    const u = await understand('please ship churn v5');
    expect(u).toMatchObject({
      kind: 'clarify',
      reason: 'missing',
      missing: ['env'],
      partial: { action: 'deploy', args: { model: 'churn', version: '5' } },
      choices: [
        { label: 'dev', command: 'deploy churn v5 to dev' },
        { label: 'staging', command: 'deploy churn v5 to staging' },
        { label: 'prod', command: 'deploy churn v5 to prod' },
      ],
    });
  });

  it('asks for the pieces of a command word said alone, never takes it for chatter', async () => {
    expect(await understand('deploy')).toMatchObject({ kind: 'clarify', reason: 'missing', missing: ['model', 'env'], question: 'Which model should I deploy?' });
    expect(await understand('@opsbot roll back')).toMatchObject({ kind: 'clarify', partial: { action: 'rollback' }, missing: ['model', 'env'] });
    expect(await understand('cancel!')).toMatchObject({ kind: 'clarify', partial: { action: 'cancel' }, missing: ['jobId'] });
    expect(await understand('can you deploy?')).toMatchObject({ kind: 'clarify', partial: { action: 'deploy' }, missing: ['model', 'env'] });
    expect(await understand('deploy, please')).toMatchObject({ kind: 'clarify', partial: { action: 'deploy' } });
    // Said to a colleague, not to the bot: no command word alone, so the intent model weighs them like any sentence.
    for (const text of ['you can ship now', 'u can stop now', 'thanks you can deploy now']) {
      const u = await understand(text);
      expect([text, u.source, u.kind === 'action']).toEqual([text, 'model', false]);
    }
  });

  it('takes pasted log lines and build steps for no request, whatever words they carry, but not a shouted request', async () => {
    for (const text of ['INFO 2026-11-02 12:01:33 rollback complete: churn staging v4 -> v3', '2026-11-02T10:01:12 ERROR deploy churn v3 to prod failed', 'Step 4/7 : RUN python train.py --epochs 20']) {
      expect([text, (await understand(text)).kind]).toEqual([text, 'none']);
    }
    expect(actionOf(await understand('ERROR: churn is down in prod, roll it back'))).toEqual({ action: 'rollback', args: { model: 'churn', env: 'prod' } });
  });

  it('reads no autoscaler bound out of the bound of something else', async () => {
    for (const text of ['raise max batch size for churn in prod to 32', 'set max latency alert for churn in prod to 20']) {
      expect([text, (await argsForIntent('scale', await understander.read(text), { knownModels: ['churn'], now: 0 })).args.max]).toEqual([text, undefined]);
    }
  });

  it('keeps an emoji where a value goes for the grammar to refuse', async () => {
    expect(await understand('rollback churn in prod to 😬 now')).toMatchObject({ kind: 'invalid', source: 'grammar' });
  });

  it('reads an emoji followed only by words of tone as tone, and an emoji that says an action as that action', async () => {
    expect(actionOf(await understand('pls promote churn v4 to production 🙏 right now'))).toEqual({ action: 'deploy', args: { model: 'churn', version: '4', env: 'prod' } });
    expect(actionOf(await understand('📈 j-4f9k2a7q'))).toEqual({ action: 'curve', args: { jobId: 'j-4f9k2a7q' } });
    expect(actionOf(await understand('👀 j-4f9k2a7q thx'))).toEqual({ action: 'status', args: { jobId: 'j-4f9k2a7q' } });
  });

  it('takes a job id said alone as a question about that job', async () => {
    expect(actionOf(await understand('@opsbot j-4f9k2a7q?'))).toEqual({ action: 'status', args: { jobId: 'j-4f9k2a7q' } });
  });

  it('reads a dash standing alone as punctuation, not as a character no command has', async () => {
    expect(actionOf(await understand('sweep churn — 29 trials, grid, ten epochs per trial'))).toEqual({ action: 'tune', args: { model: 'churn', trials: 29, method: 'grid', epochs: 10 } });
  });

  it('reads a sentence that ends in an ellipsis as the command it is', async () => {
    expect(actionOf(await understand('roll back fraud in prod…'))).toEqual({ action: 'rollback', args: { model: 'fraud', env: 'prod' } });
  });

  it('asks which model when two are named, never picks one', async () => {
    const u = await understand('roll back fraud and churn in prod');
    expect(u).toMatchObject({ kind: 'clarify', reason: 'ambiguous', ambiguous: { model: ['fraud', 'churn'] }, partial: { action: 'rollback', args: { env: 'prod' } } });
  });

  it('asks which environment when a deploy lists two targets, and takes the target of a promotion', async () => {
    expect(await understand('deploy churn v3 to prod and staging')).toMatchObject({ kind: 'clarify', reason: 'ambiguous', ambiguous: { env: ['prod', 'staging'] } });
    expect(await understand('deploy churn v3 to prod, staging too')).toMatchObject({ kind: 'clarify', reason: 'ambiguous', ambiguous: { env: ['prod', 'staging'] } });
    expect(actionOf(await understand('promote churn v3 from staging to prod'))).toEqual({ action: 'deploy', args: { model: 'churn', version: '3', env: 'prod' } });
    expect(actionOf(await understand('promote churn v3 from dev and staging to prod'))).toEqual({ action: 'deploy', args: { model: 'churn', version: '3', env: 'prod' } });
  });

  it('reads "on gpu" and "against v2" as no dataset', async () => {
    expect(actionOf(await understand('train fraud on gpu'))).toEqual({ action: 'train', args: { model: 'fraud', gpus: 1 } });
    expect(actionOf(await understand('evaluate fraud v3 against v2'))).toEqual({ action: 'evaluate', args: { model: 'fraud', version: '3' } });
  });

  it('asks which environment when two are named', async () => {
    const u = await understand('scale churn in staging and prod to 3 replicas');
    expect(u).toMatchObject({ kind: 'clarify', reason: 'ambiguous', ambiguous: { env: ['staging', 'prod'] } });
  });

  it('takes the target of a promotion from one environment to another', async () => {
    expect(actionOf(await understand('promote churn v2 from staging to production'))).toEqual({ action: 'deploy', args: { model: 'churn', version: '2', env: 'prod' } });
  });

  it('asks for the count when the current replicas are unknown', async () => {
    const u = await understand('double fraud in staging');
    expect(u).toMatchObject({ kind: 'clarify', missing: ['replicas'] });
    expect(u.kind === 'clarify' && u.question).toMatch(/how many replicas/i);
  });

  it('reports a value the schema refuses with its message', async () => {
    const u = await understand('please give churn ninety nine replicas in prod');
    expect(u).toMatchObject({ kind: 'invalid', message: 'replicas must be between 0 and 50' });
  });
});

describe('understanding: what the slot reader gets right in people\'s wording', () => {
  it.each([
    // An emoticon or emoji at the edge is tone, not a value: the sentence is read, not refused as unsafe.
    ['deploy churn v2 to dev :)', { action: 'deploy', args: { model: 'churn', version: '2', env: 'dev' } }],
    ['🚀 ship fraud v3 to prod', { action: 'deploy', args: { model: 'fraud', version: '3', env: 'prod' } }],
    // "is approved" praises the version: it is the one to deploy, not the one blamed.
    ['the new churn v6 is approved, deploy to prod', { action: 'deploy', args: { model: 'churn', version: '6', env: 'prod' } }],
    // "quick one" and "3 days" are no count of audit entries; "last 20" is.
    ['quick one: who deployed fraud yesterday?', { action: 'audit', args: { action: 'deploy', model: 'fraud', since: '2026-11-24T00:00:00.000Z' } }],
    ['audit log for churn in the last 3 days', { action: 'audit', args: { model: 'churn', since: '2026-11-22T12:00:00.000Z' } }],
    ['show the last 20 audit entries', { action: 'audit', args: { limit: 20 } }],
    // Counted nouns and a person are no model names.
    ['show me the log of actions', { action: 'audit', args: {} }],
    ['what did alice deploy today', { action: 'audit', args: { user: 'alice', action: 'deploy', since: '2026-11-25T00:00:00.000Z' } }],
    // A model the registry lacks may still be trained: training makes it.
    ['please retrain the langid model on data/langs.csv', { action: 'train', args: { model: 'langid', dataset: 'data/langs.csv' } }],
    ['who rolled churn back?', { action: 'audit', args: { model: 'churn', action: 'rollback' } }],
    ['give me the twenty five most recent audit records', { action: 'audit', args: { limit: 25 } }],
    // "v8 is too slow" blames nothing a quantization could act on but that version.
    ['churn v8 is too slow, shrink it', { action: 'quantize', args: { model: 'churn', version: '8' } }],
    ['train fraud without a gpu', { action: 'train', args: { model: 'fraud', gpus: 0 } }],
    ['try forty hyperparameter combinations on churn', { action: 'tune', args: { model: 'churn', trials: 40 } }],
    ['spin up 2 more churn replicas in prod', { action: 'scale', args: { model: 'churn', env: 'prod', replicas: 6 } }],
    ['add another replica of churn in prod', { action: 'scale', args: { model: 'churn', env: 'prod', replicas: 5 } }],
    ["we're overprovisioned on churn in prod, take two replicas off", { action: 'scale', args: { model: 'churn', env: 'prod', replicas: 2 } }],
    // What a version is compared with is not the version meant.
    ['is churn v6 better than the previous one?', { action: 'evaluate', args: { model: 'churn', version: '6' } }],
    ['show me what erin did yesterday', { action: 'audit', args: { user: 'erin', since: '2026-11-24T00:00:00.000Z' } }],
    // On-call words are no mistyped environment ("paging" is two letters from "staging").
    ['paging: churn in prod is down, revert now', { action: 'rollback', args: { model: 'churn', env: 'prod' } }],
    // Verbs and nouns of the cue lexicon that no training sentence needs to have used.
    ['shoot j-4f9k2a7q', { action: 'cancel', args: { jobId: 'j-4f9k2a7q' } }],
    // Cue words in other forms (by stem), and asking who did something.
    ['who retrained fraud this week?', { action: 'audit', args: { model: 'fraud', action: 'train', since: '2026-11-18T12:00:00.000Z' } }],
    ['who pushed churn to prod yesterday?', { action: 'audit', args: { model: 'churn', action: 'deploy', since: '2026-11-24T00:00:00.000Z' } }],
    // An emoji or arrow between words is tone or shorthand, not a value.
    ['ship churn v6 to dev pls 🚀 when you can', { action: 'deploy', args: { model: 'churn', version: '6', env: 'dev' } }],
    ['trim churn in prod by 3 replicas, we are overprovisioned', { action: 'scale', args: { model: 'churn', env: 'prod', replicas: 1 } }],
    ['autoscale fraud in prod with a floor of 2 and a ceiling of eleven', { action: 'scale', args: { model: 'fraud', env: 'prod', min: 2, max: 11 } }],
    // The direction nearest "by" in its clause: reducing latency is no fewer replicas.
    ['to reduce latency, scale churn in prod up by 2', { action: 'scale', args: { model: 'churn', env: 'prod', replicas: 6 } }],
    // "with the previous version" compares only in a sentence that compares.
    ['deploy churn with the previous version to prod', { action: 'deploy', args: { model: 'churn', version: 'previous', env: 'prod' } }],
    ['compare churn v6 with the previous version', { action: 'evaluate', args: { model: 'churn', version: '6' } }],
  ])('%s', async (text, expected) => {
    expect(actionOf(await understand(text))).toEqual(expected);
  });

  it('still refuses an emoji where a value goes, with the grammar\'s message', async () => {
    expect(await understand('deploy 🚀 to prod')).toMatchObject({ kind: 'invalid', source: 'grammar' });
    expect(await understand('@opsbot deploy 🚀 to prod')).toMatchObject({ kind: 'invalid', source: 'grammar' });
    expect(await understand('deploy churn v3 to 🚫 prod')).toMatchObject({ kind: 'invalid', source: 'grammar' });
  });

  it('reads no user out of "what version did we deploy"', async () => {
    const u = await understand('what version did we deploy to prod yesterday?');
    expect(u.kind === 'action' ? u.action.args : {}).not.toHaveProperty('user');
  });
});

describe('understanding without a registry (names guessed from the sentence)', () => {
  const guessing = createUnderstander({ ...context, knownModels: [] });
  it.each([
    // The bot's own name and a verb before a noun are no model names: the name the shape points at most is.
    ['hey opsbot deploy churnzilla v2 to prod', { action: 'deploy', args: { model: 'churnzilla', version: '2', env: 'prod' } }],
    ['compute metrics for toxic-chat version 11', { action: 'evaluate', args: { model: 'toxic-chat', version: '11' } }],
    // After a mistyped verb, and after "scale down".
    ['rolback spamguard on prod', { action: 'rollback', args: { model: 'spamguard', env: 'prod' } }],
    ['scale down spamguard in prod to 2', { action: 'scale', args: { model: 'spamguard', env: 'prod', replicas: 2 } }],
    // After what was done to it, and as the subject of a question about it.
    ['who deployed moodring?', { action: 'audit', args: { action: 'deploy', model: 'moodring' } }],
    ['how accurate is digest?', { action: 'evaluate', args: { model: 'digest' } }],
  ])('%s', async (text, expected) => {
    expect(actionOf(await guessing.understand(text))).toEqual(expected);
  });
});

/**
 * The slot reader's wording rules, read with the action given: these check the arguments a sentence
 * gives, not the intent model (retrained apart from them). Each rule has a sentence it must leave alone.
 */
describe('understanding: slot rules for people\'s wording (action given)', () => {
  const withLabeler = createUnderstander({ ...context, knownModels: [...(context.knownModels ?? []), 'labeler'] });
  const guessing = createUnderstander({ ...context, knownModels: [] });
  const argsAs = async (action: ActionName, text: string, understander_ = understander, knownModels = context.knownModels ?? []) =>
    argsForIntent(action, await understander_.read(text), { knownModels, now: context.now!(), currentReplicas: context.currentReplicas! }).args;

  it.each([
    // The audit filter from the verb asked about.
    ['audit', 'who downgraded churn?', { model: 'churn', action: 'rollback' }],
    ['audit', 'was fraud rescaled at all in the past 3 days?', { model: 'fraud', action: 'scale', since: '2026-11-22T12:00:00.000Z' }],
    ['audit', 'who beefed up churn in prod', { model: 'churn', action: 'scale' }],
    ['audit', 'who put churn in prod?', { model: 'churn', action: 'deploy' }],
    ['audit', "who did yesterday's churn release", { model: 'churn', action: 'deploy', since: '2026-11-24T00:00:00.000Z' }],
    // Putting a model back is a rollback, and putting replicas up names no action.
    ['audit', 'who put churn back in prod?', { model: 'churn', action: 'rollback' }],
    ['audit', 'who put the replicas up on churn', { model: 'churn', action: 'scale' }],
    // Tampering with the log is a request to verify it; fiddling with a model is not.
    ['audit', "can we prove the audit log hasn't been edited behind our backs?", { verify: true }],
    ['audit', 'confirm nobody has fiddled with the audit records', { verify: true }],
    ['audit', 'has anyone doctored the log?', { verify: true }],
    ['audit', "the auditors want proof the log hasn't been altered", { verify: true }],
    ['audit', 'who fiddled with the scaling on churn?', { model: 'churn', action: 'scale' }],
    ['audit', 'who edited the churn deployment yesterday', { model: 'churn', action: 'deploy', since: '2026-11-24T00:00:00.000Z' }],
    // People named by how the sentence speaks of them.
    ['audit', 'anything erin initiated this week', { user: 'erin', since: '2026-11-18T12:00:00.000Z' }],
    ['audit', 'which jobs did lena kill this week?', { user: 'lena', action: 'cancel', since: '2026-11-18T12:00:00.000Z' }],
    ["audit", "quick one: Dave's footprints on churn this week", { model: 'churn', user: 'dave', since: '2026-11-18T12:00:00.000Z' }],
    ['audit', 'raj was on call yesterday, what did he touch?', { user: 'raj', since: '2026-11-24T00:00:00.000Z' }],
    ['audit', 'what else changed today', { since: '2026-11-25T00:00:00.000Z' }],
    ['audit', 'anything deployed today', { action: 'deploy', since: '2026-11-25T00:00:00.000Z' }],
    ['audit', "churn's deploys this week", { model: 'churn', action: 'deploy', since: '2026-11-18T12:00:00.000Z' }],
    ['audit', 'i was on call yesterday, what did he touch?', { since: '2026-11-24T00:00:00.000Z' }],
    // Replica changes and autoscaling bounds.
    ['scale', 'shed 2 replicas from churn in prod', { model: 'churn', env: 'prod', replicas: 2 }],
    ['scale', 'churn in prod should never drop below 1 or go above 11 pods', { model: 'churn', env: 'prod', min: 1, max: 11 }],
    ['scale', 'let fraud in staging scale anywhere from 2 up to 10 replicas', { model: 'fraud', env: 'staging', min: 2, max: 10 }],
    ['scale', 'cap fraud at eleven replicas in dev', { model: 'fraud', env: 'dev', max: 11 }],
    ['scale', 'scale churn in prod to 3, latency went above 200', { model: 'churn', env: 'prod', replicas: 3 }],
    ['scale', 'scale fraud in dev from 2 up to 6 replicas', { model: 'fraud', env: 'dev', replicas: 6 }],
    ['scale', 'remove 2 replicas from churn in prod', { model: 'churn', env: 'prod', replicas: 2 }],
    // How a training run starts.
    ['train', 'start churn over with a clean slate, 23 epochs', { model: 'churn', epochs: 23, mode: 'full' }],
    ['train', 'rebuild fraud from the ground up on data/x.csv', { model: 'fraud', dataset: 'data/x.csv', mode: 'full' }],
    ['train', 'pick up training churn where it left off with data/x.csv', { model: 'churn', dataset: 'data/x.csv', mode: 'incremental' }],
    ['train', 'warm start fraud from its current weights on data/x.csv', { model: 'fraud', dataset: 'data/x.csv', mode: 'incremental' }],
    ['train', 'cpu-only retrain of fraud please', { model: 'fraud', gpus: 0 }],
    ['train', 'start training fraud over the weekend', { model: 'fraud' }],
    ['train', 'rather than starting over, could churn carry on training with data/x.csv?', { model: 'churn', dataset: 'data/x.csv', mode: 'incremental' }],
    ['train', 'churn has to be retrained from scratch on data/x.csv, the current weights are poisoned', { model: 'churn', dataset: 'data/x.csv', mode: 'full' }],
    // Which version is meant: praised, pushed as the fix, wanted back; not the one described as bad or backed out.
    ['deploy', 'churn ver 2 is green-lit for stage, go ahead', { model: 'churn', version: '2', env: 'staging' }],
    ['deploy', 'v2 of churn leaks memory, push version 1 out to production as the fix', { model: 'churn', version: '1', env: 'prod' }],
    ['deploy', 'deploy v2 of churn to prod', { model: 'churn', version: '2', env: 'prod' }],
    ['rollback', 'prd needs the old fraud back, version 10 please', { model: 'fraud', version: '10', env: 'prod' }],
    ['rollback', 'we need to back out churn v1 from prod immediately', { model: 'churn', env: 'prod' }],
    ['rollback', 'back out churn to v3 in prod', { model: 'churn', version: '3', env: 'prod' }],
    ['rollback', 'churn v4 is broken in prod, roll back', { model: 'churn', env: 'prod' }],
    // "live" where something broke or is patched is production; "go live" is how a deploy is said.
    ['rollback', 'churn version 9 broke live, revert right now', { model: 'churn', env: 'prod' }],
    ['deploy', 'hotfix live with fraud v1', { model: 'fraud', version: '1', env: 'prod' }],
    ['deploy', 'go live with churn v3 in staging', { model: 'churn', version: '3', env: 'staging' }],
    // Help topics.
    ['help', 'quick one: what are the commands for checking on a job?', { topic: 'status' }],
    ["help", "hey, how do i see what's running", { topic: 'status' }],
    ['help', 'what do i need to type to kill a job', { topic: 'cancel' }],
    ['help', "what's the command to shrink a model with quantisation?", { topic: 'quantize' }],
    ['help', 'is there a command to plot training curves?', { topic: 'curve' }],
    ['help', 'how would i go about promoting a model to staging with you', { topic: 'deploy' }],
    ['help', 'how do i train a model', { topic: 'train' }],
    ['help', 'how do i cancel a training job', { topic: 'cancel' }],
    ['help', 'how do i roll back a release', { topic: 'rollback' }],
    // Dataset paths have a path's shape; "precision/recall" is two words.
    ['evaluate', "I'd love to see precision/recall for churn v3 on labels/v2/train.jsonl", { model: 'churn', version: '3', dataset: 'labels/v2/train.jsonl' }],
    ['evaluate', 'evaluate churn on data/q3', { model: 'churn', dataset: 'data/q3' }],
    ['curve', 'show the train/val gap on j-4f9k2a7q', { jobId: 'j-4f9k2a7q' }],
    // With no action named, an audit filters by what its cue words point to; a log word filters nothing.
    ['audit', 'who cranked up the replicas on churn yesterday?', { model: 'churn', action: 'scale', since: '2026-11-24T00:00:00.000Z' }],
    ['audit', 'who reinstated the old churn?', { model: 'churn', action: 'rollback' }],
    ['audit', 'show me the activity log for churn', { model: 'churn' }],
    // Parts of a day and a whole week.
    ['audit', 'who nuked the churn run this morning?', { model: 'churn', action: 'cancel', since: '2026-11-25T00:00:00.000Z' }],
    ["audit", "who's been killing jobs all week?", { action: 'cancel', since: '2026-11-18T12:00:00.000Z' }],
    ['audit', 'what happened to churn last night', { model: 'churn', since: '2026-11-24T00:00:00.000Z' }],
    // An evaluation is compared with the deployed version anyway: a version named outright is the one meant.
    ['evaluate', 'did churn v4 beat the old one on data/train.csv?', { model: 'churn', version: '4', dataset: 'data/train.csv' }],
    ['evaluate', 'is churn v11 on par with the old version?', { model: 'churn', version: '11' }],
    ['evaluate', 'evaluate the previous churn', { model: 'churn', version: 'previous' }],
    // One pod down or up; pods taken away (churn runs 4 in prod here).
    ['scale', 'churn prod down a pod pls, it is overprovisioned', { model: 'churn', env: 'prod', replicas: 3 }],
    ['scale', 'take 2 pods away from churn in prod', { model: 'churn', env: 'prod', replicas: 2 }],
    ['scale', 'scale churn in prod to 4 pods', { model: 'churn', env: 'prod', replicas: 4 }],
    // Review: a bound on a metric is no autoscaler bound; live after a clause's end is a word; a typo beside another name is still a name.
    ['scale', 'scale churn in prod to 6, p99 should not exceed 40 ms', { model: 'churn', env: 'prod', replicas: 6 }],
    ['scale', 'add 2 replicas to churn in prod so latency does not go over 40', { model: 'churn', env: 'prod', replicas: 6 }],
    ['rollback', 'churn in staging is broken, live is fine, roll it back', { model: 'churn', env: 'staging' }],
    // Round 2026-12-03: people after "by" and "for", and in how a question speaks of them; no thing is a person.
    ['audit', 'any rollbacks by tom in the last 3 days?', { user: 'tom', action: 'rollback', since: '2026-11-22T12:00:00.000Z' }],
    ['audit', 'pls dump the last 26 audit records for sam', { user: 'sam', limit: 26 }],
    ['audit', 'audit records for churn', { model: 'churn' }],
    ['audit', 'whats maria been up to this week', { user: 'maria', since: '2026-11-18T12:00:00.000Z' }],
    ['audit', 'what has ana touched in the last hour?', { user: 'ana', since: '2026-11-25T11:00:00.000Z' }],
    ['audit', 'the last 5 things jo did', { user: 'jo', limit: 5 }],
    ['audit', 'can I get a log of everything ahmed has done today?', { user: 'ahmed', since: '2026-11-25T00:00:00.000Z' }],
    ['audit', 'compliance check: every action mia took this month', { user: 'mia', since: '2026-10-26T12:00:00.000Z' }],
    ['audit', "show me what lucy's done this month", { user: 'lucy', since: '2026-10-26T12:00:00.000Z' }],
    ['audit', 'did kenji nuke any jobs today?', { user: 'kenji', action: 'cancel', since: '2026-11-25T00:00:00.000Z' }],
    ['audit', 'what config changed yesterday', { since: '2026-11-24T00:00:00.000Z' }],
    // The action asked about, said with a phrase; a cue in another clause filters nothing.
    ['audit', 'who bumped churn to a new version?', { model: 'churn', action: 'deploy' }],
    ['audit', 'who ran the numbers on churn today?', { model: 'churn', action: 'evaluate', since: '2026-11-25T00:00:00.000Z' }],
    ['audit', 'who let fraud out the door?', { model: 'fraud', action: 'deploy' }],
    ['audit', 'who dialed churn down to zero?', { model: 'churn', action: 'scale' }],
    ['audit', 'who swapped churn back to the old build?', { model: 'churn', action: 'rollback' }],
    ['audit', 'who torched my training run?', { action: 'cancel' }],
    ['audit', 'what did priya push out in the past 24h?', { user: 'priya', action: 'deploy', since: '2026-11-24T12:00:00.000Z' }],
    ['audit', 'audit log for churn, accuracy dropped', { model: 'churn' }],
    // Floors and ceilings in the third person and with a polite tail; a pull into an environment brings the version.
    ['scale', 'make sure fraud never goes below 3 replicas in prod', { model: 'fraud', env: 'prod', min: 3 }],
    ["scale", "i'd like fraud in prod to never go below 2 pods, and cap it at seven please", { model: 'fraud', env: 'prod', min: 2, max: 7 }],
    ['deploy', 'pull churn v5 into prod', { model: 'churn', version: '5', env: 'prod' }],
    ['rollback', 'it would be great if production were back on churn version one, version 10 is too slow', { model: 'churn', version: '1', env: 'prod' }],
    // How training starts and with what.
    ['train', 'start a full retrain of fraud on 2 gpus', { model: 'fraud', gpus: 2, mode: 'full' }],
    ['train', 'build churn as a multilayer perceptron on data/a.csv', { model: 'churn', dataset: 'data/a.csv', algorithm: 'mlp' }],
    ['train', 'retrain churn, start fresh', { model: 'churn', mode: 'full' }],
    ['train', 'train churn on fresh data', { model: 'churn' }],
    // Help topics said without the command's name.
    ['help', "how do i check a job's progress through you?", { topic: 'status' }],
    ['help', 'is there a command for comparing a new version against the live one?', { topic: 'evaluate' }],
    ['help', 'how do i ask opsbot who deployed something last', { topic: 'audit' }],
    // Review of that round: things after "by"/"for" and in "what's X been like" are nobody; hints yield to what is named.
    ['audit', 'list deploys by date', { action: 'deploy' }],
    ['audit', 'any deploys by mistake today?', { action: 'deploy', since: '2026-11-25T00:00:00.000Z' }],
    ['audit', 'records for compliance', {}],
    ['audit', 'show actions by alice', { user: 'alice' }],
    ['audit', 'things churn did today', { model: 'churn', since: '2026-11-25T00:00:00.000Z' }],
    ['audit', 'who fine-tuned a new version of churn from fraud', { model: 'churn', action: 'train' }],
    ['help', 'how do I compare training curves', { topic: 'curve' }],
    ['help', 'how do I watch the progress of the loss curve', { topic: 'curve' }],
    ['rollback', 'roll back churn in prod, it broke when we went back on v3, use v2', { model: 'churn', env: 'prod', version: '2' }],
    ['train', 'retrain churn, the data is fresh', { model: 'churn' }],
    ['scale', 'scale churn in prod to 5, the backlog never drops below 2 now', { model: 'churn', env: 'prod', replicas: 5 }],
    ['deploy', 'pull v5 of churn into staging', { model: 'churn', version: '5', env: 'staging' }],
    ['scale', 'turn churn off in dev', { model: 'churn', env: 'dev', replicas: 0 }],
    // Only a model is turned off: not the autoscaler, alerts or a canary, and not in a question about who did.
    ['scale', 'switch off the autoscaler for churn in prod', { model: 'churn', env: 'prod' }],
    ['scale', 'turn off the canary for churn in prod', { model: 'churn', env: 'prod' }],
    ['scale', 'who turned churn off in prod', { model: 'churn', env: 'prod' }],
    // A version in another clause after the target environment is no target of the deploy.
    ['deploy', 'deploy churn v5 to prod, v4 is broken', { model: 'churn', version: '5', env: 'prod' }],
    ['rollback', 'reactivate churn v2 in prod, v9 is bad', { model: 'churn', version: '2', env: 'prod' }],
    // A handle is the person; a weekday is the last such day before today (the 25th is a Wednesday).
    // From the set of 2026-12-03 once scored: bounds set "to" a count, the freshest / the last one trained, the fixed version, a unit after a comma.
    ['scale', 'raise the max replicas for churn on dev to 14', { model: 'churn', env: 'dev', max: 14 }],
    // A bound of something else is no replica bound; a version turned down is not the one meant.
    ['deploy', 'deploy the previous churn to prod, not v9', { model: 'churn', version: 'previous', env: 'prod' }],
    ['deploy', 'deploy the previous churn build to prod instead of v9', { model: 'churn', version: 'previous', env: 'prod' }],
    ['train', 'please train the churn model from zero using softmax', { model: 'churn', mode: 'full', algorithm: 'softmax' }],
    ['train', 'train churn on data/min=3.csv', { model: 'churn' }],
    ['scale', 'lower the minimum for churn in prod to 2', { model: 'churn', env: 'prod', min: 2 }],
    ['scale', 'can we have churn autoscale from 1 up to 5 in prod?', { model: 'churn', env: 'prod', min: 1, max: 5 }],
    ['deploy', 'could we push the freshest churn to stg?', { model: 'churn', version: 'latest', env: 'staging' }],
    ['quantize', 'can we get churn down in size? int8 the last one we trained', { model: 'churn', version: 'latest' }],
    ['deploy', 'churn v7 keeps timing out in prod, we fixed it in v8 so deploy that one', { model: 'churn', version: '8', env: 'prod' }],
    ['train', 'start a train job: model churn, data data/train.csv, epochs 18, gpus one', { model: 'churn', dataset: 'data/train.csv', epochs: 18, gpus: 1 }],
    ['audit', 'audit entries for tuning by wei over the last 3 days', { user: 'wei', action: 'tune', since: '2026-11-22T12:00:00.000Z' }],
    // From the set of 2026-12-03b once scored: key=value, from zero, rounds, max N in an audit, a two-word verb, "add three" after scaling.
    ['train', 'model=churn dataset=data/x.csv epochs=25 mode=incremental', { model: 'churn', dataset: 'data/x.csv', epochs: 25, mode: 'incremental' }],
    ['train', 'go ahead and train churn from zero using softmax regression', { model: 'churn', mode: 'full', algorithm: 'softmax' }],
    ['tune', 'optimise the hyperparameters for churn, 27 rounds, 8 epochs each', { model: 'churn', trials: 27, epochs: 8 }],
    ['audit', 'everything fatima did today, max twenty', { user: 'fatima', since: '2026-11-25T00:00:00.000Z', limit: 20 }],
    ['audit', 'what did ana roll back?', { user: 'ana', action: 'rollback' }],
    ['scale', 'scale up churn in prod, add three please', { model: 'churn', env: 'prod', replicas: 7 }],
    ['deploy', 'install churn v12 on dev pls, the old one is stale', { model: 'churn', version: '12', env: 'dev' }],
    ['rollback', 'the new churn is tanking conversions in prod. put the previous one back', { model: 'churn', env: 'prod', version: 'previous' }],
    ['audit', 'what did @dmitri do since friday?', { user: 'dmitri', since: '2026-11-20T00:00:00.000Z' }],
    ['audit', 'any deploys by @tom last wednesday?', { user: 'tom', action: 'deploy', since: '2026-11-18T00:00:00.000Z' }],
    ['audit', 'what has sam trained this week', { user: 'sam', action: 'train', since: '2026-11-18T12:00:00.000Z' }],
  ] as const)('%s: %s', async (action, text, expected) => {
    expect(await argsAs(action, text)).toEqual(expected);
  });

  it('reads no user out of "whats traffic been like", and an English word near a cue is no typo of it', async () => {
    expect((await understander.read('whats traffic been like this week')).user).toBeUndefined();
    expect((await understander.read('whats maria been up to this week')).user).toBe('maria');
  });

  it('takes an English word as meant, never as the typo of a cue one edit away; a misspelling still counts', async () => {
    const cues = async (text: string) => (await understander.read(text)).features.split(' ').filter((f) => f.startsWith('zzcue'));
    for (const word of ['prime', 'revealed', 'restrict', 'purse', 'tread']) expect([word, await cues(`the ${word} was odd`)]).toEqual([word, []]);
    expect(await cues('tuen churn')).toEqual(['zzcuetune']);
    expect(await cues('cacnel it')).toEqual(['zzcuecancel']);
  });

  it('reads beside a name typed right no word that is only near another name, unless names are listed', async () => {
    const text = 'Test churn version 12 on the new labelled set data/latest.csv';
    expect(await argsAs('evaluate', text, withLabeler)).toEqual({ model: 'churn', version: '12', dataset: 'data/latest.csv' });
    const listed = await withLabeler.read('roll back fraud and chrun in prod');
    expect(argsForIntent('rollback', listed, { knownModels: ['fraud', 'churn'], now: 0 }).ambiguous).toEqual({ model: ['fraud', 'churn'] });
  });

  it.each([
    // Openers, words of blame and the parts of a model are no guessed names.
    ['deploy', 'btw v2 of churnzilla leaks memory, push version 1 out to production as the fix', { model: 'churnzilla', version: '1', env: 'prod' }],
    ['rollback', 'The spamguard deploy broke live, undo it', { model: 'spamguard', env: 'prod' }],
    ['train', 'warm start digest from its current weights on data/x.csv', { model: 'digest', dataset: 'data/x.csv', mode: 'incremental' }],
    ['scale', 'cap captioner at eleven replicas in development', { model: 'captioner', env: 'dev', max: 11 }],
    // "start fresh" names no model "fresh".
    ['train', 'retrain digest, start fresh', { model: 'digest', mode: 'full' }],
  ] as const)('without a registry, %s: %s', async (action, text, expected) => {
    expect(await argsAs(action, text, guessing, [])).toEqual(expected);
  });
});

describe('formatCommand', () => {
  const parse = createCommandParser(context);
  it.each([
    ['deploy', { model: 'churn', version: '3', env: 'prod' }],
    ['rollback', { model: 'churn', env: 'prod', version: '2' }],
    ['scale', { model: 'churn', env: 'prod', replicas: 4 }],
    ['scale', { model: 'churn', env: 'dev', min: 2, max: 8 }],
    ['train', { model: 'churn', dataset: 'data/x.csv', epochs: 5, gpus: 1, algorithm: 'mlp' }],
    ['tune', { model: 'churn', trials: 8, method: 'bayes' }],
    ['evaluate', { model: 'churn', version: 'latest', dataset: 'data/h.csv' }],
    ['quantize', { model: 'churn', version: '2' }],
    ['cancel', { jobId: 'j-4f9k2a7q' }],
    ['curve', { jobId: 'j-4f9k2a7q' }],
    ['status', {}],
    ['audit', { action: 'deploy', model: 'churn', limit: 5 }],
    ['help', { topic: 'scale' }],
  ] as const)('%s %j reads back as the same action', (action, args) => {
    const outcome = parse(formatCommand(action, args));
    expect(outcome).toMatchObject({ ok: true, action: { action, args } });
  });
});
