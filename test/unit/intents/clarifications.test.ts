import {
  PendingClarifications,
  answerClarification,
  createUnderstander,
  type ClarifyUnderstanding,
  type UnderstandContext,
} from '../../../intents/index.js';

const context: UnderstandContext = {
  limits: { environments: ['dev', 'staging', 'prod'], maxReplicas: 50, maxEpochs: 1000, maxGpus: 8 },
  environments: [
    { name: 'dev', aliases: ['development'] },
    { name: 'staging', aliases: ['stage', 'stg'] },
    { name: 'prod', aliases: ['production', 'prd'] },
  ],
  knownModels: ['fraud', 'churn', 'sentiment'],
};
const understander = createUnderstander(context);

async function question(text: string): Promise<ClarifyUnderstanding> {
  const u = await understander.understand(text);
  if (u.kind !== 'clarify') throw new Error(`expected a question for "${text}", got ${JSON.stringify(u)}`);
  return u;
}

describe('answering a clarification', () => {
  it('completes the half-built action with a typed environment, a typo or an alias included', async () => {
    const pending = await question('please ship churn v5');
    for (const [answer, env] of [['prod', 'prod'], ['production', 'prod'], ['stagign', 'staging'], ['in dev please', 'dev']] as const) {
      const result = await answerClarification(pending, answer, understander);
      expect(result).toMatchObject({ kind: 'answered', understanding: { kind: 'action', action: { action: 'deploy', args: { model: 'churn', version: '5', env } } } });
    }
  });

  it('takes a clicked choice (its command) the same way', async () => {
    const pending = await question('please ship churn v5');
    const result = await answerClarification(pending, pending.choices[1]!.command, understander);
    expect(result).toMatchObject({ kind: 'answered', understanding: { kind: 'action', source: 'grammar', action: { action: 'deploy', args: { env: 'staging' } } } });
  });

  it('picks one of the named models when two were ambiguous, and refuses a third', async () => {
    const pending = await question('roll back fraud and churn in prod');
    expect(await answerClarification(pending, 'churn', understander)).toMatchObject({
      kind: 'answered',
      understanding: { kind: 'action', action: { action: 'rollback', args: { model: 'churn', env: 'prod' } } },
    });
    expect(await answerClarification(pending, 'the fraud one', understander)).toMatchObject({ understanding: { action: { args: { model: 'fraud' } } } });
  });

  it('asks the next question when the answer fills only one missing piece', async () => {
    const pending = await question('scale churn to 4 replicas');
    expect(pending.missing).toEqual(['env']);
    const result = await answerClarification(pending, 'prod', understander);
    expect(result).toMatchObject({ understanding: { kind: 'action', action: { action: 'scale', args: { model: 'churn', env: 'prod', replicas: 4 } } } });
  });

  it('resolves "one more replica" against the count in the environment the answer names, clicked or typed', async () => {
    const counting = createUnderstander({ ...context, currentReplicas: (model, env) => (model === 'churn' ? { dev: 1, staging: 2, prod: 5 }[env] : undefined) });
    const pending = await counting.understand('one more replica for churn please');
    if (pending.kind !== 'clarify') throw new Error(JSON.stringify(pending));
    expect(pending.missing[0]).toBe('env');
    expect(pending.choices.map((c) => c.command)).toEqual(['scale churn in dev to 2', 'scale churn in staging to 3', 'scale churn in prod to 6']);
    expect(await answerClarification(pending, 'prod', counting)).toMatchObject({ understanding: { kind: 'action', action: { args: { model: 'churn', env: 'prod', replicas: 6 } } } });
    expect(await answerClarification(pending, 'in staging please', counting)).toMatchObject({ understanding: { kind: 'action', action: { args: { env: 'staging', replicas: 3 } } } });
    // Where the count is not known, the next question asks for the number, saying why.
    const unknown = await question('one more replica for churn please');
    expect(await answerClarification(unknown, 'production', understander)).toMatchObject({
      understanding: { kind: 'clarify', missing: ['replicas'], question: expect.stringContaining("I don't know how many replicas churn runs in prod") },
    });
  });

  it('keeps a change of replicas through a click on the model button, then resolves it in the environment chosen', async () => {
    const counting = createUnderstander({ ...context, currentReplicas: (_model, env) => (env === 'prod' ? 4 : 2) });
    const pending = await counting.understand('add 2 replicas');
    if (pending.kind !== 'clarify') throw new Error(JSON.stringify(pending));
    expect(pending.missing).toEqual(['model', 'env']);
    const churn = pending.choices.find((c) => c.label === 'churn')!;
    const next = await answerClarification(pending, churn.command, counting);
    expect(next).toMatchObject({ understanding: { kind: 'clarify', missing: ['env'], partial: { args: { model: 'churn' }, relative: { op: '+', amount: 2 } } } });
    if (next.kind !== 'answered' || next.understanding.kind !== 'clarify') throw new Error(JSON.stringify(next));
    expect(next.understanding.choices.map((c) => c.command)).toContain('scale churn in prod to 6');
    expect(await answerClarification(next.understanding, 'prod', counting)).toMatchObject({ understanding: { kind: 'action', action: { args: { model: 'churn', env: 'prod', replicas: 6 } } } });
  });

  it('is called off by "please cancel" or "can you stop", and a command word picks its choice or keeps the question', async () => {
    const pending = await question('please ship churn v5');
    for (const answer of ['please cancel', 'can you stop', 'okay stop', 'cancel…']) expect([answer, (await answerClarification(pending, answer, understander)).kind]).toEqual([answer, 'cancelled']);
    expect(await answerClarification(pending, 'deploy', understander)).toEqual({ kind: 'answered', understanding: pending });
    // A "did you mean" as the understanding asks it for "sort out churn in prod".
    const choices = ['deploy churn to prod', 'scale churn in prod'].map((command) => ({ label: command, command }));
    const unsure: ClarifyUnderstanding = {
      kind: 'clarify', reason: 'unsure', question: 'Did you mean one of these?', choices, partial: { action: 'deploy', args: { model: 'churn', env: 'prod' } }, missing: [], confidence: 0.5, source: 'model',
    };
    expect(await answerClarification(unsure, 'scale', understander)).toMatchObject({ understanding: { partial: { action: 'scale', args: { model: 'churn', env: 'prod' } }, missing: ['replicas'] } });
  });

  it('takes a number in words for a missing replica count', async () => {
    const pending = await question('scale churn in prod');
    expect(pending.missing).toEqual(['replicas']);
    expect(await answerClarification(pending, 'six', understander)).toMatchObject({ understanding: { kind: 'action', action: { args: { replicas: 6 } } } });
  });

  it('is called off by "never mind" and ignores chatter', async () => {
    const pending = await question('please ship churn v5');
    expect(await answerClarification(pending, 'never mind', understander)).toEqual({ kind: 'cancelled' });
    expect(await answerClarification(pending, 'good morning everyone', understander)).toEqual({ kind: 'unrelated' });
  });

  it('takes a whole new command instead of an answer', async () => {
    const pending = await question('please ship churn v5');
    expect(await answerClarification(pending, 'status', understander)).toMatchObject({ understanding: { kind: 'action', action: { action: 'status' } } });
  });
});

describe('PendingClarifications', () => {
  const entry = async () => ({ clarification: await question('please ship churn v5'), userId: 'alice', text: 'please ship churn v5', askedAt: 0 });

  it('hands a thread\'s question out once: a second click finds nothing', async () => {
    const store = new PendingClarifications();
    store.remember('C1:t1', await entry());
    expect(store.peek('C1:t1')?.userId).toBe('alice');
    expect(store.take('C1:t1')?.text).toBe('please ship churn v5');
    expect(store.take('C1:t1')).toBeUndefined();
  });

  it('keeps at most `max` threads, dropping the least recently used', async () => {
    const store = new PendingClarifications({ max: 2 });
    const pending = await entry();
    store.remember('a', pending);
    store.remember('b', pending);
    store.peek('a');
    store.remember('c', pending);
    expect([store.peek('a'), store.peek('b'), store.peek('c')].map((p) => p !== undefined)).toEqual([true, false, true]);
    expect(store.size).toBe(2);
  });

  it('forgets a question after its TTL', async () => {
    const store = new PendingClarifications({ ttlMs: 30 });
    store.remember('a', await entry());
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.take('a')).toBeUndefined();
  });
});
