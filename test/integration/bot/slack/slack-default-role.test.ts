import { defaultConfig } from '../../../../core/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../../helpers/slack-harness.js';
import { sendToSlackRoute, slashCommandRequest } from '../../../helpers/slack-request.js';

const signing = { secret: SIGNING_SECRET };

describe('Slack users without an RBAC map', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    // The shipped default roles, not the harness's admins.
    slack = await startSlackHarness({ configure: (config) => (config.rbac = defaultConfig().rbac) });
  });

  afterAll(async () => {
    await slack.close();
  });

  it('are viewers: `train` is refused with the id to grant, `status` runs, nothing is queued', async () => {
    const send = (text: string) => sendToSlackRoute(slack.eventsUrl, slashCommandRequest({ text, userId: 'U0MALLORY', channelId: 'C0OPS' }, signing));
    expect((await send('train sentiment')).status).toBe(200);
    await eventually('the refusal', () => slack.results.length > 0);
    expect((await send('status')).status).toBe(200);
    await eventually('the status reply', () => slack.results.length > 1);

    const [train, status] = slack.results;
    expect(train).toMatchObject({ outcome: 'denied' });
    expect(train?.reply.text).toBe(
      'You are not allowed to train: your roles (viewer) do not allow it. Ask an opsbot admin to grant you a role that does (your id is slack:T0001:U0MALLORY).',
    );
    expect(status).toMatchObject({ outcome: 'completed' });
    expect(await slack.store.jobs.list({ limit: 10 })).toEqual([]);
  }, 20_000);
});
