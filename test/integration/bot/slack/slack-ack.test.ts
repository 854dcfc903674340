import { silentLogger, type Logger } from '../../../../core/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../../../helpers/slack-harness.js';
import { sendToSlackRoute, slashCommandRequest } from '../../../helpers/slack-request.js';

const signing = { secret: SIGNING_SECRET };

describe('Slack adapter: the ack waits on nothing but the signature check', () => {
  let slack: SlackHarness;

  afterEach(async () => {
    await slack?.close();
  });

  it('answers 200 while Slack still holds auth.test and users.info and the store holds the audit append, then runs the command', async () => {
    const problems: string[] = [];
    const log: Logger = { ...silentLogger, warn: (_details, message) => problems.push(`warn: ${message}`), error: (_details, message) => problems.push(`error: ${message}`) };
    let releaseAudit = () => {};
    slack = await startSlackHarness({
      log,
      holdAuditUntil: new Promise<void>((resolve) => (releaseAudit = resolve)),
      // Slack did not confirm the bot token at start-up, so the first request asks again (Bolt's authorize).
      beforeStart: (api) => api.failNext('auth.test', 'internal_error'),
    });
    slack.api.addUser({ id: 'U0ALICE', name: 'alice', displayName: 'alice' });
    const releaseAuthTest = slack.api.hold('auth.test');
    const releaseUsersInfo = slack.api.hold('users.info');
    const atStart = problems.length;

    const response = await sendToSlackRoute(slack.eventsUrl, slashCommandRequest({ text: 'status', userId: 'U0ALICE', channelId: 'C0OPS' }, signing));

    expect(response.status).toBe(200);
    // The ack came on its own, not from a fallback for a request nobody acknowledged.
    expect(problems.slice(atStart)).toEqual([]);
    // Nothing the command needs had happened yet: no identity, no user name, no dispatch, no audit record.
    expect(slack.api.callsTo('auth.test').filter((call) => call.outcome === 'ok')).toHaveLength(0);
    expect(slack.api.callsTo('users.info')).toHaveLength(0);
    expect(slack.handled).toHaveLength(0);
    releaseAuthTest();
    releaseUsersInfo();
    await eventually('the dispatch', () => slack.handled.length > 0, 10_000);
    expect(slack.handled[0]).toMatchObject({ text: 'status', identity: { userId: 'U0ALICE', displayName: 'alice' } });
    expect(await slack.store.audit.query({})).toHaveLength(0);
    releaseAudit();
    await eventually('the reply', () => slack.api.callsTo('chat.postMessage').length > 0, 10_000);
    expect(slack.api.callsTo('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C0OPS' });
    expect(await slack.store.audit.query({})).toEqual([expect.objectContaining({ platform: 'slack', userId: 'U0ALICE', action: 'status', outcome: 'completed' })]);
  }, 30_000);
});
