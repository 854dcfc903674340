import {
  defaultConfig,
  Dispatcher,
  silentLogger,
  type CancelOutcome,
  type ChatPort,
  type CommandInterpreter,
  type ConversationRef,
  type JobQueue,
  type Message,
  type OpsbotConfig,
  type QueuedJob,
} from '../../../core/index.js';
import { grammarInterpreter } from '../../../app/command-interpreter.js';
import { openSqliteStateStore } from '../../../store/index.js';
import { InProcessJobQueue } from '../../../workers/in-process/in-process-job-queue.js';
import { alice, terminal } from '../../helpers/fixtures.js';

/** Records what the bot posted and updated. */
class RecordingChat implements ChatPort {
  readonly posted: Message[] = [];
  readonly updated: Message[] = [];
  async post(_c: ConversationRef, message: Message): Promise<string> {
    this.posted.push(message);
    return `m${this.posted.length}`;
  }
  async update(_c: ConversationRef, _ref: string, message: Message): Promise<void> {
    this.updated.push(message);
  }
}

/** A queue that is down: the port's contract allows enqueue to reject. */
class UnavailableQueue implements JobQueue {
  async enqueue(_job: QueuedJob): Promise<void> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
  async cancel(): Promise<CancelOutcome> {
    return 'unknown';
  }
  onEvent() {
    return () => undefined;
  }
  async close() {}
}

const EXTERNAL_TRAINER = { command: 'python train.py --out {artifact}', timeoutSeconds: 60, env: {}, passEnv: [], killGraceSeconds: 1 };

/** A dispatcher on an in-memory store, recording what it says; `queue` defaults to one that is down. */
function setUp(options: { queue?: JobQueue; models?: OpsbotConfig['models']; interpret?: (config: OpsbotConfig) => CommandInterpreter } = {}) {
  const store = openSqliteStateStore(':memory:');
  const chat = new RecordingChat();
  const config = defaultConfig();
  if (options.models) config.models = options.models;
  const queue = options.queue ?? new UnavailableQueue();
  const interpret = (options.interpret ?? grammarInterpreter)(config);
  const dispatcher = new Dispatcher({ config, store, queue, chat, interpret, log: silentLogger });
  const say = (text: string, identity = alice) => dispatcher.handle({ identity, conversation: terminal, text });
  return { store, chat, say, close: async () => Promise.all([queue.close(), store.close()]) };
}

describe('Dispatcher', () => {
  it('tells the user when the queue is down, marks the job failed and audits it', async () => {
    const { store, chat, say, close } = setUp();
    const result = await say('train sentiment --dataset data/sentiment.csv');
    expect(result.outcome).toBe('failed');
    expect(chat.posted.at(-1)?.text).toMatch(/was not started: the job queue is unavailable/);
    expect(chat.updated.at(-1)?.text).toMatch(/— failed/);
    const job = await store.jobs.get(result.jobId as string);
    expect(job?.status).toBe('failed');
    const audit = (await store.audit.query({ jobId: result.jobId })).map((r) => r.outcome).reverse();
    expect(audit).toEqual(['accepted', 'failed']);
    expect(JSON.stringify(chat.posted)).not.toMatch(/ECONNREFUSED/);
    await close();
  });

  it("shows the queue's own reason when it refuses a job (no GPUs here), not an outage, and audits it as invalid", async () => {
    const queue = new InProcessJobQueue({ attempts: 1, backoffMs: 10, concurrency: 1, gpus: [] });
    const { store, chat, say, close } = setUp({ queue, models: { g: { trainer: EXTERNAL_TRAINER } } });
    const result = await say('train g --dataset sentiment.csv --gpus 1');
    expect(result.outcome).toBe('invalid');
    const reason = 'this machine has 0 GPUs, so a job that needs 1 can never run here; drop --gpus, or run it on GPU workers';
    expect(chat.posted.at(-1)?.text).toMatch(new RegExp(`^Job ${result.jobId} was not started: ${reason}`));
    expect(chat.updated.at(-1)?.text).toMatch(new RegExp(`— failed\nNot started: ${reason}`));
    expect(JSON.stringify([chat.posted, chat.updated])).not.toMatch(/unavailable|try again in a minute/);
    const job = await store.jobs.get(result.jobId as string);
    expect(job?.status).toBe('failed');
    const audit = (await store.audit.query({ jobId: result.jobId })).reverse();
    expect(audit.map((r) => r.outcome)).toEqual(['accepted', 'invalid']);
    expect(audit[1]?.detail).toMatch(reason);
    await close();
  });

  it('refuses --gpus for a model on the built-in trainer, which runs on CPU, before any job exists', async () => {
    const queue = new InProcessJobQueue({ attempts: 1, backoffMs: 10, concurrency: 1, gpus: [{ index: 0, name: 'A100' }, { index: 1, name: 'A100' }] });
    const { store, chat, say, close } = setUp({ queue });
    const result = await say('train sentiment --dataset sentiment.csv --gpus 2');
    expect(result.outcome).toBe('invalid');
    expect(chat.posted.at(-1)?.text).toBe(
      'the built-in trainer runs on CPU, so sentiment cannot use --gpus 2; drop --gpus, or name an external trainer for sentiment in opsbot.config.json ("models": {"sentiment": {"trainer": {"command": "..."}}}; see README / workers/external/PROTOCOL.md)',
    );
    expect(await store.jobs.list()).toEqual([]);
    expect((await store.audit.query({})).map((r) => r.outcome)).toEqual(['invalid']);
    await close();
  });

  it('refuses tune for a model trained by an external trainer, before any job exists', async () => {
    const queue = new InProcessJobQueue({ attempts: 1, backoffMs: 10, concurrency: 1, gpus: [] });
    const { store, chat, say, close } = setUp({ queue, models: { bert: { trainer: EXTERNAL_TRAINER } } });
    const result = await say('tune bert --dataset intents.csv --trials 4');
    expect(result.outcome).toBe('invalid');
    expect(chat.posted.at(-1)?.text).toMatch(/^tune searches the settings of opsbot's built-in trainer, but bert is trained by its own external trainer/);
    expect(await store.jobs.list()).toEqual([]);
    await close();
  });

  it('answers an internal failure with an apology, never a stack trace, and stays usable', async () => {
    let calls = 0;
    const { chat, say, close } = setUp({
      interpret: (config) => (text, models) => {
        calls++;
        if (calls === 1) throw new TypeError("Cannot read properties of undefined (reading 'x')");
        return grammarInterpreter(config)(text, models);
      },
    });
    const broken = await say('status');
    expect(broken.outcome).toBe('failed');
    expect(chat.posted[0]?.text).toMatch(/^Something went wrong on my side/);
    expect(chat.posted[0]?.text).not.toMatch(/TypeError|at .*\.ts/);
    const next = await say('status');
    expect(next.outcome).toBe('completed');
    await close();
  });

  it('refuses a destructive action confirmed by someone else', async () => {
    const { store, chat, say, close } = setUp();
    await store.registry.registerVersion({
      model: 'sentiment', createdBy: 'local:alice', jobId: 'j-seed0001', dataset: 'd.csv', datasetHash: 'h', metrics: {}, params: {}, artifactPath: 'x',
    });
    await store.deployments.record({ model: 'sentiment', env: 'prod', version: 1, replicas: 2, change: 'deploy', jobId: 'j-seed0002', by: 'local:alice' });
    const asked = await say('scale sentiment in prod to 0');
    expect(asked.outcome).toBe('confirmation_requested');
    const token = /confirm (\w{6})/.exec(chat.posted.at(-1)?.text ?? '')?.[1];
    const bob = { ...alice, userId: 'bob', displayName: 'bob' };
    const stolen = await say(`confirm ${token}`, bob);
    expect(stolen.outcome).toBe('denied');
    expect(chat.posted.at(-1)?.text).toBe(`Request ${token} was made by someone else; only they can confirm or dismiss it.`);
    expect(await store.jobs.list()).toEqual([]);
    await close();
  });

  it('says when a user has too many requests waiting, naming their codes, and asks nothing more', async () => {
    const { store, chat, say, close } = setUp();
    await store.registry.registerVersion({
      model: 'sentiment', createdBy: 'local:alice', jobId: 'j-seed0001', dataset: 'd.csv', datasetHash: 'h', metrics: {}, params: {}, artifactPath: 'x',
    });
    await store.deployments.record({ model: 'sentiment', env: 'prod', version: 1, replicas: 2, change: 'deploy', jobId: 'j-seed0002', by: 'local:alice' });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const asked = await say('scale sentiment in prod to 0');
      expect(asked.outcome).toBe('confirmation_requested');
      codes.push(asked.confirmationToken ?? '');
    }
    const sixth = await say('scale sentiment in prod to 0');
    expect(sixth.outcome).toBe('invalid');
    expect(chat.posted.at(-1)?.text).toBe(
      `You already have 5 requests waiting for confirmation (${codes.map((c) => `\`${c}\``).join(', ')}): confirm or dismiss one of them, or send this again once one expires (after 5 minutes).`,
    );
    // Someone else is not held up by alice's requests; a dismissed one frees a place.
    expect((await say('scale sentiment in prod to 0', { ...alice, userId: 'bob', displayName: 'bob' })).outcome).toBe('confirmation_requested');
    expect((await say(`dismiss ${codes[0]}`)).outcome).toBe('cancelled');
    expect((await say('scale sentiment in prod to 0')).outcome).toBe('confirmation_requested');
    await close();
  });

  it('answers an old-style or wrong code as an unknown request', async () => {
    const { chat, say, close } = setUp();
    expect((await say('confirm 1234')).outcome).toBe('invalid');
    expect(chat.posted.at(-1)?.text).toBe('There is no pending request 1234 (requests expire after 5 minutes). Send the command again.');
    await close();
  });
});
