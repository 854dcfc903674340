import { rmSync } from 'node:fs';
import { LocalDeployTarget } from '../../../deploy-targets/local/index.js';
import { eventually } from '../../helpers/eventually.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { blockActionsRequest, sendToSlackRoute, slashCommandRequest } from '../../helpers/slack-request.js';

const signing = { secret: SIGNING_SECRET };
const CHANNEL = 'C0OPS';
const users = { rita: 'U0RITA', lea: 'U0LEA', bob: 'U0BOB', vic: 'U0VIC' } as const;
type Person = keyof typeof users;

/**
 * The embedded default's whole path for the product's centre, through Slack: real model
 * servers (onnxruntime-node child processes) behind the local router, the approval card
 * in Block Kit, clicks as signed block_actions, ephemeral refusals, and a client sending
 * requests through the stable endpoint the whole time.
 */
describe('blue-green on the local target through Slack', () => {
  let model: ServableModel;
  let slack: SlackHarness;

  beforeAll(async () => {
    model = await trainServableModel();
    // The registry the target and handlers read is the harness's in-memory store: copy the versions in.
    slack = await startSlackHarness({
      dataDir: model.dataDir,
      workDir: model.harness.dir,
      configure: (config) => {
        config.rbac = { ...config.rbac, chatDefaultRoles: ['viewer'], users: { 'slack:T0001:U0RITA': ['deployer'], 'slack:T0001:U0LEA': ['deployer'], 'slack:T0001:U0BOB': ['admin'] } };
        config.environments = config.environments.map((e) => (e.name === 'prod' ? { ...e, minReplicas: 1, replicas: 1 } : e));
        config.deploy = { ...config.deploy, local: { basePort: 19100 } };
      },
      deployTarget: (store, config) => new LocalDeployTarget({ dataDir: config.dataDir, registry: store.registry, config: config.deploy.local }),
    });
    for (const { version: _v, createdAt: _c, ...entry } of [model.fp32, model.int8]) await slack.store.registry.registerVersion({ ...entry, dataset: entry.dataset });
    for (const [name, id] of Object.entries(users)) slack.api.addUser({ id, name, realName: name, displayName: name });
  }, 60_000);

  afterAll(async () => {
    await slack?.close();
    await model?.harness.close();
    if (model) rmSync(model.dataDir, { recursive: true, force: true });
  });

  const slash = (who: Person, text: string) => sendToSlackRoute(slack.eventsUrl, slashCommandRequest({ text, userId: users[who], channelId: CHANNEL }, signing));

  /** Runs a command as a slash command and waits for its job to end. */
  async function runJob(who: Person, text: string): Promise<{ status: string; summary?: string; error?: string }> {
    const before = slack.results.length;
    expect((await slash(who, text)).status).toBe(200);
    let result = await eventually(`the answer to ${text}`, () => slack.results.length > before && slack.results[before]);
    if (result.confirmationToken) {
      const at = slack.results.length;
      await slash(who, `confirm ${result.confirmationToken}`);
      result = await eventually('the confirmed job', () => slack.results.length > at && slack.results[at]);
    }
    const jobId = result.jobId;
    if (!jobId) throw new Error(`no job: ${result.reply.text}`);
    const job = await eventually(`job ${jobId}`, async () => {
      const record = await slack.store.jobs.get(jobId);
      return record && ['completed', 'failed', 'cancelled'].includes(record.status) && record;
    }, 60_000);
    return { status: job.status, summary: job.result?.summary, error: job.error };
  }

  /** Clicks a button of a posted message as Slack would send the click. */
  async function click(who: Person, card: { ts: string; blocks?: unknown[] }, label: string) {
    const actions = (card.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? ((b as { elements: Array<Record<string, unknown>> }).elements) : []));
    const button = actions.find((e) => (e.text as { text: string }).text === label);
    if (!button) throw new Error(`no ${label} button`);
    const before = slack.results.length;
    const response = await sendToSlackRoute(
      slack.eventsUrl,
      blockActionsRequest({ userId: users[who], userName: who, channelId: CHANNEL, message: { ts: card.ts, blocks: card.blocks }, action: { type: 'button', action_id: button.action_id, value: button.value, text: button.text } }, signing),
    );
    expect(response.status).toBe(200);
    return eventually(`the answer to ${who}'s ${label}`, () => slack.results.length > before && slack.results[slack.results.length - 1]);
  }

  const endpoint = (env: string) => slack.deployer!.target.status({ model: 'sentiment', env }).then((s) => s.endpoint!);
  const versionAt = async (url: string) => {
    const response = await fetch(`${url}/v2/models/sentiment/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: ['the app is fast'] }] }) });
    const body = (await response.json()) as { model_version?: string };
    return { status: response.status, version: body.model_version };
  };
  const cardFor = async (version: number) => {
    const [deployment] = await slack.store.blueGreen.list({ model: 'sentiment', env: 'prod', limit: 1 });
    expect(deployment?.version).toBe(version);
    const ref = await eventually('the approval card', async () => (await slack.store.blueGreen.get(deployment!.id))?.cardRef);
    const [channel, ts] = ref.split(':') as [string, string];
    return { deployment: deployment!, message: () => slack.api.messages.get(`${channel}:${ts}`)!, ts };
  };

  it('deploys, asks for approval, refuses who may not approve, promotes with zero failed requests, rolls back and scales', async () => {
    // v1 to staging: no approval there, so it goes live and its endpoint answers with v1.
    const staging = await runJob('rita', 'deploy sentiment v1 to staging');
    expect(staging.summary).toMatch(/^sentiment v1 is live in staging on the blue colour, its first deployment there, at http:\/\/127\.0\.0\.1:\d+\./);
    expect(await versionAt(await endpoint('staging'))).toEqual({ status: 200, version: '1' });

    // v1 into prod needs two approvers.
    const first = await runJob('rita', 'deploy sentiment v1 to prod');
    expect(first.summary).toMatch(/It needs 2 approvals to go live/);
    const card1 = await cardFor(1);
    await click('lea', { ts: card1.ts, blocks: card1.message().blocks }, 'Promote');
    await click('bob', { ts: card1.ts, blocks: card1.message().blocks }, 'Promote');
    const prod = await endpoint('prod');
    expect(await versionAt(prod)).toEqual({ status: 200, version: '1' });

    // A client sends requests through the router the whole time from here on.
    const seen: string[] = [];
    let failures = 0;
    let running = true;
    const client = (async () => {
      while (running) {
        const answer = await versionAt(prod).catch(() => ({ status: 0, version: undefined }));
        if (answer.status !== 200 || !answer.version) failures++;
        else if (seen[seen.length - 1] !== answer.version) seen.push(answer.version);
      }
    })();

    const second = await runJob('rita', 'deploy sentiment v2 to prod');
    expect(second.summary).toMatch(/ready on the idle green colour in prod \(it replaces v1 once promoted\)\. Smoke test: \d+ texts answered, \d+% agree with the live version\./);
    const card2 = await cardFor(2);
    expect(JSON.stringify(card2.message().blocks)).toMatch(/0 of 2 approvals/);
    // The card compares the versions' test-split scores: v1 is live.
    expect(JSON.stringify(card2.message().blocks)).toMatch(/test_accuracy.*live v1.*new v2|live v1.*new v2.*test_accuracy/);

    // The requester's own click and a viewer's are refused, only to them, and audited.
    const ephemeralsBefore = slack.api.callsTo('chat.postEphemeral').length;
    await click('rita', { ts: card2.ts, blocks: card2.message().blocks }, 'Promote');
    await click('vic', { ts: card2.ts, blocks: card2.message().blocks }, 'Promote');
    const ephemerals = slack.api.callsTo('chat.postEphemeral').slice(ephemeralsBefore);
    expect(ephemerals.map((c) => [c.args.user, String(c.args.text)])).toEqual([
      ['U0RITA', expect.stringMatching(/you asked for this deployment/)],
      ['U0VIC', expect.stringMatching(/only people with the deployer or admin role may approve promotions into prod/)],
    ]);
    const denied = (await slack.store.audit.query({ limit: 30 })).filter((r) => r.outcome === 'denied').map((r) => r.userId);
    expect(denied).toEqual(expect.arrayContaining(['U0RITA', 'U0VIC']));

    // Two distinct approvers promote; a double click counts once.
    await click('lea', { ts: card2.ts, blocks: card2.message().blocks }, 'Promote');
    await click('lea', { ts: card2.ts, blocks: card2.message().blocks }, 'Promote');
    await eventually('the card counts one vote', () => JSON.stringify(card2.message().blocks).includes('1 of 2 approvals: lea'));
    await click('bob', { ts: card2.ts, blocks: card2.message().blocks }, 'Promote');
    await eventually('v2 answers', () => seen.includes('2'));
    expect(JSON.stringify(card2.message().blocks)).toMatch(/Promoted by lea and bob/);
    expect(JSON.stringify(card2.message().blocks)).not.toMatch(/"actions"/);

    // Rollback: the confirmation, then v1 again, from the colour kept warm.
    const back = await runJob('rita', 'rollback sentiment in prod');
    expect(back.summary).toMatch(/rolled back from v2 to v1, at once: the blue colour was still warm/);
    await eventually('v1 answers again', () => seen[seen.length - 1] === '1' && seen.length === 3);
    running = false;
    await client;
    expect(failures).toBe(0);
    expect(seen).toEqual(['1', '2', '1']);

    // Scale to 3: three server processes answer.
    const scaled = await runJob('rita', 'scale sentiment in prod to 3');
    expect(scaled.summary).toMatch(/now runs 3 replicas \(3 of 3 ready\)/);
    const replicas = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${prod}/v2/models/sentiment/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: [`text ${i}`] }] }) });
      replicas.add(String(response.headers.get('x-opsbot-replica')));
    }
    expect(replicas.size).toBe(3);

    // status shows it per environment.
    const before = slack.results.length;
    await slash('vic', 'status sentiment');
    const status = await eventually('status', () => slack.results.length > before && slack.results[before]);
    expect(JSON.stringify(status.reply.blocks)).toMatch(/v1 \(blue\)/);
    expect(JSON.stringify(status.reply.blocks)).toMatch(/3\/3, 3 replicas/);
    // The live colour's cache hit ratio, from its servers' own counters (the client sent the same text over and over).
    const table = status.reply.blocks.find((b) => b.type === 'table' && b.columns.includes('cache hits'));
    const prodRow = table?.type === 'table' ? table.rows.find((row) => row[0] === 'prod') : undefined;
    expect(prodRow?.[5]).toMatch(/^\d+%$/);
  }, 240_000);
});
