import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BlueGreenDeployer,
  Dispatcher,
  actionLimitsFrom,
  defaultConfig,
  silentLogger,
  type ChatPort,
  type ConversationRef,
  type DispatchResult,
  type Identity,
  type Message,
  type OpsbotConfig,
  type StateStore,
} from '../../../core/index.js';
import { grammarInterpreter } from '../../../app/command-interpreter.js';
import { openSqliteStateStore } from '../../../store/index.js';
import { InProcessJobQueue } from '../../../workers/in-process/in-process-job-queue.js';
import { createJobRunner } from '../../../workers/job-runner.js';
import { newWorkerId } from '../../../workers/worker-id.js';
import { eventually } from '../../helpers/eventually.js';
import { InMemoryDeployTarget } from '../../helpers/in-memory-deploy-target.js';

const person = (userId: string, displayName: string): Identity => ({ platform: 'slack', workspace: 'T1', userId, displayName });
const rita = person('U0RITA', 'rita');
const lea = person('U0LEA', 'lea');
const bob = person('U0BOB', 'bob');
const vic = person('U0VIC', 'vic');
const channel: ConversationRef = { platform: 'slack', workspace: 'T1', channelId: 'C0OPS' };

/** A chat that keeps every message by ref, so a test reads the card as it stands now. */
class RecordingChat implements ChatPort {
  readonly messages = new Map<string, Message>();
  private next = 0;
  async post(_conversation: ConversationRef, message: Message): Promise<string> {
    const ref = `m${++this.next}`;
    this.messages.set(ref, message);
    return ref;
  }
  async update(_conversation: ConversationRef, ref: string, message: Message): Promise<void> {
    this.messages.set(ref, message);
  }
}

const buttonsOf = (message: Message | undefined) => message?.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons.map((x) => x.command) : [])) ?? [];
const textOf = (message: Message | undefined) => JSON.stringify(message?.blocks ?? []);

interface Stack {
  dir: string;
  config: OpsbotConfig;
  store: StateStore;
  target: InMemoryDeployTarget;
  chat: RecordingChat;
  deployer: BlueGreenDeployer;
  dispatcher: Dispatcher;
  queue: InProcessJobQueue;
  clock: { now: Date };
  privately: Array<{ who: string; text: string }>;
  say(who: Identity, text: string): Promise<DispatchResult>;
  /** Runs a job command to its end and returns the job's record. */
  job(who: Identity, text: string): Promise<{ status: string; summary?: string; error?: string }>;
  close(): Promise<void>;
}

async function startStack(configure: (config: OpsbotConfig) => void = () => {}, reuse?: { dir: string; store: StateStore; target: InMemoryDeployTarget }): Promise<Stack> {
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'opsbot-approvals-'));
  const config: OpsbotConfig = { ...defaultConfig(), dataDir: join(dir, 'state') };
  config.rbac = { ...config.rbac, users: { 'slack:T1:U0RITA': ['deployer'], 'slack:T1:U0LEA': ['deployer'], 'slack:T1:U0BOB': ['admin'] } };
  config.environments = config.environments.map((e) => (e.name === 'prod' ? { ...e, minReplicas: 1, replicas: 1 } : e));
  configure(config);
  const store = reuse?.store ?? openSqliteStateStore(':memory:');
  if (!reuse) {
    for (const version of [1, 2, 3]) {
      await store.registry.registerVersion({
        model: 'sentiment',
        createdBy: 'slack:T1:U0RITA',
        jobId: `j-train0${version}`,
        dataset: 'missing.csv',
        datasetHash: 'h',
        metrics: { test_accuracy: 0.8 + version / 100, test_macro_f1: 0.7 + version / 100, val_loss: 0.5 - version / 100 },
        params: {},
        artifactPath: `models/sentiment/v${version}/model.json`,
      });
    }
  }
  const target = reuse?.target ?? new InMemoryDeployTarget();
  const chat = new RecordingChat();
  const clock = { now: new Date('2026-12-01T10:00:00Z') };
  let tick = 0;
  // Each reading a millisecond on, so votes cast in one test keep their order.
  const deployer = new BlueGreenDeployer({ target, store, config, log: silentLogger, chat, now: () => new Date(clock.now.getTime() + ++tick) });
  const queue = new InProcessJobQueue({ attempts: 1, backoffMs: 0, concurrency: 2 });
  queue.startWorker(
    createJobRunner({ store, dataDir: config.dataDir, workDir: dir, log: silentLogger, limits: actionLimitsFrom(config), environments: config.environments.map((e) => e.name), deployer }),
    newWorkerId(),
  );
  const dispatcher = new Dispatcher({ config, store, queue, chat, interpret: grammarInterpreter(config), log: silentLogger, deployer });
  const privately: Array<{ who: string; text: string }> = [];
  const say = (who: Identity, text: string) =>
    dispatcher.handle({ identity: who, conversation: channel, text, respondPrivately: async (message) => void privately.push({ who: who.displayName, text: message.text }) });
  const job = async (who: Identity, text: string) => {
    let result = await say(who, text);
    if (result.confirmationToken) result = await say(who, `confirm ${result.confirmationToken}`);
    const jobId = result.jobId;
    if (!jobId) throw new Error(`no job for "${text}": ${result.reply.text}`);
    const done = await eventually(`job ${jobId}`, async () => {
      const record = await store.jobs.get(jobId);
      return record && ['completed', 'failed', 'cancelled'].includes(record.status) && record;
    });
    return { status: done.status, summary: done.result?.summary, error: done.error };
  };
  return {
    dir,
    config,
    store,
    target,
    chat,
    deployer,
    dispatcher,
    queue,
    clock,
    privately,
    say,
    job,
    async close() {
      await queue.close();
    },
  };
}

async function cardOf(stack: Stack, jobId?: string) {
  const [deployment] = await stack.store.blueGreen.list({ model: 'sentiment', env: 'prod', ...(jobId ? {} : {}), limit: 1 });
  return { deployment, card: deployment?.cardRef ? stack.chat.messages.get(deployment.cardRef) : undefined };
}

describe('blue-green deployments: promotion policy, approvals, rollback and scale through the dispatcher', () => {
  const stacks: Stack[] = [];
  const start = async (configure?: (config: OpsbotConfig) => void) => {
    const stack = await startStack(configure);
    stacks.push(stack);
    return stack;
  };
  afterEach(async () => {
    for (const stack of stacks.splice(0)) {
      await stack.close();
      await stack.store.close();
      rmSync(stack.dir, { recursive: true, force: true });
    }
  });

  it('promotes at once where no approval is needed, and the live version is what the target serves', async () => {
    const stack = await start();
    const done = await stack.job(rita, 'deploy sentiment v1 to staging');
    expect(done.status).toBe('completed');
    expect(done.summary).toMatch(/^sentiment v1 is live in staging on the blue colour, its first deployment there, at memory:\/\/sentiment\/staging\./);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'staging' })).toBe(1);
    expect((await stack.store.deployments.current('sentiment', 'staging'))?.version).toBe(1);
    const [deployment] = await stack.store.blueGreen.list({ model: 'sentiment', env: 'staging' });
    expect(deployment).toMatchObject({ phase: 'live', colour: 'blue', approvalsRequired: 0 });
    // No card where nobody has to decide.
    expect(deployment?.cardRef).toBeUndefined();

    const again = await stack.job(rita, 'deploy sentiment v2 to staging');
    expect(again.summary).toMatch(/v2 is live in staging on the green colour, replacing v1/);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'staging' })).toBe(2);
    // v1 stays warm on blue for an instant rollback.
    expect(stack.target.running({ model: 'sentiment', env: 'staging' }, 'blue')).toBe(true);
  });

  it('needs two distinct approvers for prod: the requester and people without the role are refused privately and audited, a double click counts once', async () => {
    const stack = await start();
    const done = await stack.job(rita, 'deploy sentiment v2 to prod');
    expect(done.summary).toMatch(/ready on the idle blue colour in prod .* It needs 2 approvals to go live: see the approval card\./);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'prod' })).toBeUndefined();
    let { deployment, card } = await cardOf(stack);
    expect(deployment?.phase).toBe('awaiting_approval');
    expect(buttonsOf(card)).toEqual([`approve ${deployment!.id}`, `reject ${deployment!.id}`]);
    expect(textOf(card)).toMatch(/Requested by.*rita/);
    expect(textOf(card)).toMatch(/0 of 2 approvals/);
    expect(card?.blocks.find((b) => b.type === 'table')).toEqual({
      type: 'table',
      columns: ['metric', 'live', 'new v2', 'change'],
      rows: [
        ['test_accuracy', '—', '0.8200', '—'],
        ['test_macro_f1', '—', '0.7200', '—'],
        ['val_loss', '—', '0.4800', '—'],
      ],
    });

    const own = await stack.say(rita, `approve ${deployment!.id}`);
    expect(own).toMatchObject({ outcome: 'denied', private: true });
    expect(stack.privately.at(-1)).toEqual({ who: 'rita', text: expect.stringMatching(/you asked for this deployment/) });
    const viewer = await stack.say(vic, `approve ${deployment!.id}`);
    expect(viewer).toMatchObject({ outcome: 'denied', private: true });
    expect(stack.privately.at(-1)?.text).toMatch(/only people with the deployer or admin role may approve promotions into prod/);
    const denied = await stack.store.audit.query({ limit: 10 });
    expect(denied.filter((r) => r.outcome === 'denied').map((r) => r.userId).sort()).toEqual(['U0RITA', 'U0VIC']);

    const first = await stack.say(lea, `approve ${deployment!.id}`);
    expect(first).toMatchObject({ outcome: 'completed', private: false });
    expect(first.reply.text).toMatch(/lea approved sentiment v2 to prod \(1 of 2 approvals\)/);
    const twice = await stack.say(lea, `approve ${deployment!.id}`);
    expect(twice).toMatchObject({ private: true });
    expect(stack.privately.at(-1)?.text).toMatch(/already counted \(1 of 2 approvals\)/);
    ({ deployment, card } = await cardOf(stack));
    expect(textOf(card)).toMatch(/1 of 2 approvals: lea/);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'prod' })).toBeUndefined();

    const last = await stack.say(bob, `approve ${deployment!.id}`);
    expect(last.reply.text).toMatch(/Promoted: sentiment v2 to prod now serves \(blue colour\), approved by lea and bob/);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'prod' })).toBe(2);
    ({ deployment, card } = await cardOf(stack));
    expect(deployment?.phase).toBe('live');
    expect(buttonsOf(card)).toEqual([]);
    expect(textOf(card)).toMatch(/Promoted by lea and bob at 2026-12-01 10:00 UTC/);
    // A late click on the old card is refused privately, and changes nothing.
    const late = await stack.say(lea, `approve ${deployment!.id}`);
    expect(late).toMatchObject({ private: true, outcome: 'invalid' });
    expect(stack.privately.at(-1)?.text).toMatch(/not waiting for approval: it was already promoted by lea and bob/);
  });

  it('counts concurrent clicks once and promotes once', async () => {
    const stack = await start();
    await stack.job(rita, 'deploy sentiment v1 to prod');
    const { deployment } = await cardOf(stack);
    await stack.say(lea, `approve ${deployment!.id}`);
    const results = await Promise.all([stack.say(bob, `approve ${deployment!.id}`), stack.say(bob, `approve ${deployment!.id}`), stack.say(bob, `approve ${deployment!.id}`)]);
    expect(results.filter((r) => /^Promoted:/.test(r.reply.text))).toHaveLength(1);
    expect(stack.target.calls.filter((call) => call.startsWith('switchLive sentiment/prod'))).toEqual(['switchLive sentiment/prod blue']);
    expect((await stack.store.deployments.history('sentiment', 'prod')).map((r) => r.change)).toEqual(['deploy']);
  });

  it('a rejection stops the idle colour and leaves the live version serving', async () => {
    const stack = await start((config) => {
      config.environments = config.environments.map((e) => (e.name === 'prod' ? { ...e, approval: { required: 1, roles: ['deployer', 'admin'], users: [], allowSelfApproval: false, expiryMinutes: 60 } } : e));
    });
    await stack.job(rita, 'deploy sentiment v1 to prod');
    await stack.say(lea, `approve ${(await cardOf(stack)).deployment!.id}`);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'prod' })).toBe(1);
    await stack.job(rita, 'deploy sentiment v2 to prod');
    const { deployment } = await cardOf(stack);
    expect(deployment).toMatchObject({ version: 2, colour: 'green', previousVersion: 1, phase: 'awaiting_approval' });
    const rejected = await stack.say(bob, `reject ${deployment!.id}`);
    expect(rejected.reply.text).toMatch(/bob rejected the promotion of sentiment v2 to prod; the green colour was stopped and the live version keeps serving/);
    const after = await cardOf(stack);
    expect(after.deployment?.phase).toBe('rejected');
    expect(buttonsOf(after.card)).toEqual([]);
    expect(textOf(after.card)).toMatch(/Rejected by bob/);
    expect(stack.target.running({ model: 'sentiment', env: 'prod' }, 'green')).toBe(false);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'prod' })).toBe(1);
  });

  it('an approval request expires: the card says so, the idle colour is stopped, later clicks are refused', async () => {
    const stack = await start();
    await stack.job(rita, 'deploy sentiment v1 to prod');
    const { deployment } = await cardOf(stack);
    expect(deployment?.expiresAt).toMatch(/^2026-12-01T11:00:00\.\d{3}Z$/);
    await stack.say(lea, `approve ${deployment!.id}`);
    stack.clock.now = new Date('2026-12-01T11:00:05Z');
    await stack.deployer.sweep();
    const after = await cardOf(stack);
    expect(after.deployment?.phase).toBe('expired');
    expect(textOf(after.card)).toMatch(/Expired at 2026-12-01 11:00 UTC\. Nobody decided within 60 minutes; the blue colour was stopped\./);
    expect(buttonsOf(after.card)).toEqual([]);
    expect(stack.target.running({ model: 'sentiment', env: 'prod' }, 'blue')).toBe(false);
    const late = await stack.say(bob, `approve ${deployment!.id}`);
    expect(stack.privately.at(-1)?.text).toMatch(/it expired before enough people approved/);
    expect(late.outcome).toBe('invalid');
  });

  it('rolls back at once while the old colour is warm, and by rolling it out again once the warm window is over', async () => {
    const stack = await start();
    await stack.job(rita, 'deploy sentiment v1 to staging');
    await stack.job(rita, 'deploy sentiment v2 to staging');
    stack.target.calls.length = 0;
    const back = await stack.job(rita, 'rollback sentiment in staging');
    expect(back.summary).toMatch(/rolled back from v2 to v1, at once: the blue colour was still warm/);
    expect(stack.target.calls).toEqual(['switchLive sentiment/staging blue']);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'staging' })).toBe(1);
    const [rolledBack] = await stack.store.blueGreen.list({ model: 'sentiment', env: 'staging', phases: ['rolled_back'] });
    expect(rolledBack?.version).toBe(2);

    // Ten minutes on, the colour that stopped serving (v2 on green) is retired; rolling forward to it rolls it out anew.
    stack.clock.now = new Date(stack.clock.now.getTime() + 10 * 60_000 + 1000);
    await stack.deployer.sweep();
    expect(stack.target.running({ model: 'sentiment', env: 'staging' }, 'green')).toBe(false);
    stack.target.calls.length = 0;
    const forward = await stack.job(rita, 'rollback sentiment in staging to v2');
    expect(forward.summary).toMatch(/after rolling v2 out to the green colour/);
    expect(stack.target.calls).toEqual(['rollOut sentiment/staging green v2', 'switchLive sentiment/staging green']);
  });

  it('scales the live colour within the environment bounds', async () => {
    const stack = await start();
    await stack.job(rita, 'deploy sentiment v1 to staging');
    const scaled = await stack.job(rita, 'scale sentiment in staging to 3');
    expect(scaled.summary).toMatch(/sentiment v1 in staging now runs 3 replicas \(3 of 3 ready\)/);
    expect(stack.target.calls.at(-1)).toBe('scale sentiment/staging blue {"replicas":3}');
    const range = await stack.job(rita, 'scale sentiment in staging --min 2 --max 6');
    expect(range.summary).toMatch(/autoscaling between 2 and 6 replicas/);
    const stack2 = stack;
    stack2.config.environments = stack2.config.environments.map((e) => (e.name === 'staging' ? { ...e, maxReplicas: 4 } : e));
    const tooMany = await stack.job(rita, 'scale sentiment in staging to 5');
    expect(tooMany.status).toBe('failed');
    expect(tooMany.error).toMatch(/staging runs between 0 and 4 replicas; 5 replicas is outside that/);
  });

  it('a rollout that never becomes ready fails the deployment and leaves the live colour untouched', async () => {
    const stack = await start();
    await stack.job(rita, 'deploy sentiment v1 to staging');
    stack.target.failing.add(3);
    const failed = await stack.job(rita, 'deploy sentiment v3 to staging');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/v3 never became ready: the server exited with code 1/);
    expect(stack.target.liveVersion({ model: 'sentiment', env: 'staging' })).toBe(1);
    const [deployment] = await stack.store.blueGreen.list({ model: 'sentiment', env: 'staging', limit: 1 });
    expect(deployment).toMatchObject({ version: 3, phase: 'failed' });
    expect(stack.target.running({ model: 'sentiment', env: 'staging' }, 'green')).toBe(false);
  });

  it('after a restart, a waiting approval card still works and what served is restored', async () => {
    const stack = await start();
    await stack.job(rita, 'deploy sentiment v1 to staging');
    await stack.job(rita, 'deploy sentiment v2 to prod');
    const { deployment } = await cardOf(stack);
    await stack.say(lea, `approve ${deployment!.id}`);
    await stack.queue.close();
    // A new process on the same database: the target has lost its processes.
    const target = new InMemoryDeployTarget();
    const restarted = await startStack(() => {}, { dir: stack.dir, store: stack.store, target });
    stacks.push({ ...restarted, close: async () => restarted.close(), store: { ...stack.store, close: async () => undefined } as StateStore });
    await restarted.deployer.restore();
    // What serves comes back, and so does the idle colour of prod's first deployment, which waits for its last vote.
    expect([...target.calls].sort()).toEqual(['restore sentiment/prod nothing live', 'restore sentiment/staging blue']);
    expect(target.liveVersion({ model: 'sentiment', env: 'staging' })).toBe(1);
    expect(target.running({ model: 'sentiment', env: 'prod' }, 'blue')).toBe(true);
    target.calls.length = 0;
    const last = await restarted.say(bob, `approve ${deployment!.id}`);
    expect(last.reply.text).toMatch(/^Promoted: sentiment v2 to prod/);
    expect(target.liveVersion({ model: 'sentiment', env: 'prod' })).toBe(2);
    expect(target.calls).toEqual(['switchLive sentiment/prod blue']);
  });
});
