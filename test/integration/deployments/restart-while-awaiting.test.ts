import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../../helpers/eventually.js';
import { OpsbotProcess } from '../../helpers/opsbot-process.js';
import { isAlive } from '../../helpers/process-alive.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';
import { SlackApiFake, type FakeMessage } from '../../helpers/slack-api-fake.js';
import { blockActionsRequest, sendToSlackRoute, slashCommandRequest } from '../../helpers/slack-request.js';

const SECRET = 'restart-while-awaiting-signing-secret';
const CHANNEL = 'C0OPS';
const users = { rita: 'U0RITA', lea: 'U0LEA', bob: 'U0BOB' } as const;
type Person = keyof typeof users;

interface SlotPorts {
  model: string;
  env: string;
  endpoint: number;
  preview: number;
}

/**
 * The real `opsbot serve` (compiled dist/, Slack over HTTP against the Web API fake, the
 * local deploy target with real model-server processes), killed with SIGKILL while a
 * promotion into prod waits for its approvers: its model servers must not outlive it, and
 * a new process on the same data directory serves what served before, on the same ports,
 * and still takes the clicks on the card the first one posted.
 */
describe('opsbot serve killed while a prod promotion awaits approval', () => {
  let model: ServableModel;
  let api: SlackApiFake;
  const processes: OpsbotProcess[] = [];

  beforeAll(async () => {
    // v1 (FP32) and v2 (INT8), trained by the real trainer into the data directory's opsbot.db.
    model = await trainServableModel();
    api = await SlackApiFake.start();
    for (const [name, id] of Object.entries(users)) api.addUser({ id, name, realName: name, displayName: name });
    writeFileSync(
      join(model.harness.dir, 'opsbot.config.json'),
      JSON.stringify({
        environments: [
          { name: 'staging', protected: false, minReplicas: 1, replicas: 1 },
          { name: 'prod', protected: true, minReplicas: 1, replicas: 1 },
        ],
        rbac: { chatDefaultRoles: ['viewer'], users: { 'slack:T0001:U0RITA': ['deployer'], 'slack:T0001:U0LEA': ['deployer'], 'slack:T0001:U0BOB': ['admin'] } },
        deploy: { local: { basePort: 19600 } },
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((bot) => bot.stop('SIGKILL')));
    await api?.close();
    await model?.harness.close();
  });

  /** `opsbot serve` in the work directory (datasets, config) on the trained data directory; resolves with its Slack Request URL. */
  async function serve(): Promise<{ bot: OpsbotProcess; eventsUrl: string }> {
    const bot = new OpsbotProcess(['serve'], {
      cwd: model.harness.dir,
      env: {
        OPSBOT_DATA_DIR: model.dataDir,
        PORT: '0',
        REDIS_URL: '',
        OPSBOT_PLAYGROUND: 'false',
        OPSBOT_LOG_LEVEL: 'info',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: api.token,
        SLACK_API_URL: api.url,
      },
    });
    processes.push(bot);
    const eventsUrl = await eventually(`opsbot serve listening (stderr: ${bot.stderr})`, () => /events at (http:\/\/[^\s"\\]+\/slack\/events)/.exec(bot.stdout)?.[1], 60_000);
    return { bot, eventsUrl };
  }

  /** The JSON log lines with this message. */
  const logLines = (bot: OpsbotProcess, msg: string) =>
    bot.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === msg);

  const slash = (eventsUrl: string, who: Person, text: string) => sendToSlackRoute(eventsUrl, slashCommandRequest({ text, userId: users[who], channelId: CHANNEL }, { secret: SECRET }));

  /** Clicks a button of the card as it stands now in the fake, as Slack sends the click. */
  async function click(eventsUrl: string, who: Person, card: FakeMessage, label: string): Promise<void> {
    const elements = (card.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: Array<Record<string, unknown>> }).elements : []));
    const button = elements.find((e) => (e.text as { text: string }).text === label);
    if (!button) throw new Error(`no ${label} button on the card: ${JSON.stringify(card.blocks)}`);
    const response = await sendToSlackRoute(
      eventsUrl,
      blockActionsRequest(
        { userId: users[who], userName: who, channelId: CHANNEL, message: { ts: card.ts, blocks: card.blocks }, action: { type: 'button', action_id: button.action_id, value: button.value, text: button.text } },
        { secret: SECRET },
      ),
    );
    expect(response.status).toBe(200);
  }

  /** The approval card for `version`: the channel's message with Promote and a "v<version>" in it. */
  const cardFor = (version: number) =>
    eventually(`the approval card of v${version}`, () =>
      [...api.messages.values()].find((m) => m.channel === CHANNEL && /"Promote"/.test(JSON.stringify(m.blocks ?? [])) && JSON.stringify(m.blocks).includes(`v${version}`) && JSON.stringify(m.blocks).includes('prod')),
    60_000);

  const ports = (env: string): SlotPorts => {
    const file = JSON.parse(readFileSync(join(model.dataDir, 'deploy', 'local-endpoints.json'), 'utf8')) as { slots: SlotPorts[] };
    const slot = file.slots.find((s) => s.model === 'sentiment' && s.env === env);
    if (!slot) throw new Error(`no ports for ${env}`);
    return slot;
  };

  /** One V2 infer request: its status, the version the body names, and the model server's pid from the router's header. */
  const ask = async (port: number) => {
    const response = await fetch(`http://127.0.0.1:${port}/v2/models/sentiment/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: ['the app is fast'] }] }),
    });
    const body = (await response.json().catch(() => ({}))) as { model_version?: string };
    return { status: response.status, version: body.model_version, header: response.headers.get('x-opsbot-version'), pid: Number(response.headers.get('x-opsbot-pid')) };
  };
  const answersWith = (port: number, version: string) => eventually(`127.0.0.1:${port} answering with v${version}`, async () => {
    const answer = await ask(port).catch(() => undefined);
    return answer?.status === 200 && answer.version === version && answer.header === version && answer;
  }, 60_000);

  it('leaves no model server behind, then serves the same versions on the same ports and promotes on the old card', async () => {
    const first = await serve();

    // Staging: no approval there, so v1 goes live.
    expect((await slash(first.eventsUrl, 'rita', 'deploy sentiment v1 to staging')).status).toBe(200);
    await eventually('the staging ports', () => {
      try {
        return ports('staging');
      } catch {
        return undefined;
      }
    }, 60_000);
    const staging = ports('staging');
    const stagingServer = (await answersWith(staging.endpoint, '1')).pid;

    // Prod: v1 promoted by two approvers, then v2 waiting for them on the idle colour.
    expect((await slash(first.eventsUrl, 'rita', 'deploy sentiment v1 to prod')).status).toBe(200);
    const card1 = await cardFor(1);
    await click(first.eventsUrl, 'lea', card1, 'Promote');
    await eventually('lea counted', () => JSON.stringify(api.messages.get(`${CHANNEL}:${card1.ts}`)?.blocks).includes('1 of 2 approvals'));
    await click(first.eventsUrl, 'bob', api.messages.get(`${CHANNEL}:${card1.ts}`) as FakeMessage, 'Promote');
    const prod = ports('prod');
    const prodV1Server = (await answersWith(prod.endpoint, '1')).pid;
    expect((await slash(first.eventsUrl, 'rita', 'deploy sentiment v2 to prod')).status).toBe(200);
    const card2 = await cardFor(2);
    await eventually('the card waiting for 2 approvals', () => JSON.stringify(api.messages.get(`${CHANNEL}:${card2.ts}`)?.blocks).includes('0 of 2 approvals'));
    const prodV2Server = (await answersWith(prod.preview, '2')).pid;

    const servers = [stagingServer, prodV1Server, prodV2Server];
    expect(new Set(servers).size).toBe(3);
    expect(servers.every((pid) => Number.isInteger(pid) && pid > 0 && isAlive(pid))).toBe(true);

    // SIGKILL: nothing in opsbot runs, so the servers must notice by themselves (their IPC channel closes).
    await first.bot.stop('SIGKILL');
    await eventually('every model server of the killed opsbot gone', () => servers.every((pid) => !isAlive(pid)), 20_000);

    // Started again on the same data directory.
    const second = await serve();
    const restored = logLines(second.bot, 'restored what serves').map((line) => [line.env, line.live, line.version]);
    expect(restored).toEqual(expect.arrayContaining([['staging', 'blue', 1], ['prod', 'blue', 1]]));
    expect(restored).toHaveLength(2);
    expect(ports('staging')).toEqual(staging);
    expect(ports('prod')).toEqual(prod);
    expect(await ask(staging.endpoint)).toMatchObject({ status: 200, version: '1', header: '1' });
    expect(await ask(prod.endpoint)).toMatchObject({ status: 200, version: '1', header: '1' });
    // The idle colour waiting for approval runs again too, behind the same preview port.
    expect(await ask(prod.preview)).toMatchObject({ status: 200, version: '2', header: '2' });

    // The card the first process posted: its buttons reach the new one, and two approvers promote v2.
    await click(second.eventsUrl, 'lea', api.messages.get(`${CHANNEL}:${card2.ts}`) as FakeMessage, 'Promote');
    await eventually('lea counted after the restart', () => JSON.stringify(api.messages.get(`${CHANNEL}:${card2.ts}`)?.blocks).includes('1 of 2 approvals: lea'), 30_000);
    await click(second.eventsUrl, 'bob', api.messages.get(`${CHANNEL}:${card2.ts}`) as FakeMessage, 'Promote');
    await answersWith(prod.endpoint, '2');
    await eventually('the card says who promoted it', () => JSON.stringify(api.messages.get(`${CHANNEL}:${card2.ts}`)?.blocks).includes('Promoted by lea and bob'), 30_000);
    expect(JSON.stringify(api.messages.get(`${CHANNEL}:${card2.ts}`)?.blocks)).not.toMatch(/"actions"/);
    expect(await ask(staging.endpoint)).toMatchObject({ status: 200, version: '1' });

    // A clean stop takes its model servers with it too.
    const restartedServers = [(await ask(staging.endpoint)).pid, (await ask(prod.endpoint)).pid];
    await second.bot.stop('SIGTERM');
    await eventually('the restarted servers gone after SIGTERM', () => restartedServers.every((pid) => !isAlive(pid)), 30_000);
  }, 120_000);
});
