import { eventually } from '../../../helpers/eventually.js';
import { TEAMS_APP_ID, teamsMessage } from '../../../helpers/teams-activities.js';
import { BOT_FRAMEWORK_ISSUER } from '../../../helpers/teams-auth-fake.js';
import { startTeamsHarness, type TeamsHarness } from '../../../helpers/teams-harness.js';

describe('Teams endpoint authentication (app id configured, tokens checked offline against a fake authority)', () => {
  let bot: TeamsHarness;
  const consoleError = console.error;

  beforeAll(async () => {
    // botbuilder console.errors every rejected token; the assertions below are what matter.
    console.error = () => {};
    bot = await startTeamsHarness();
  });

  afterAll(async () => {
    await bot.close();
    console.error = consoleError;
  });

  const now = () => Math.floor(Date.now() / 1000);
  const activity = () => teamsMessage('status', { serviceUrl: bot.connector.serviceUrl });
  const tokenFor = (overrides: Record<string, unknown> = {}, options: { key?: 'trusted' | 'untrusted'; kid?: string } = {}) =>
    bot.auth?.token(TEAMS_APP_ID, bot.connector.serviceUrl, overrides, options) ?? '';

  async function expectRejected(send: () => Promise<Response>): Promise<void> {
    const handledBefore = bot.handled.length;
    const callsBefore = bot.connector.calls.length;
    const response = await send();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unauthorized' });
    // Nothing ran: no dispatch, no connector call, no audit record.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bot.handled).toHaveLength(handledBefore);
    expect(bot.connector.calls).toHaveLength(callsBefore);
  }

  it('accepts a valid channel token and answers', async () => {
    const response = await bot.send(activity(), tokenFor());
    expect(response.status).toBe(200);
    await eventually('the reply', () => bot.connector.calls.length === 1);
    expect(bot.handled.map((command) => command.text)).toEqual(['status']);
  });

  it.each<[string, () => string | null]>([
    ['no token', () => null],
    ['a token for another bot (wrong audience)', () => tokenFor({ aud: '99999999-0000-4000-8000-000000000000' })],
    ['a token from another issuer', () => tokenFor({ iss: 'https://sts.example.com/' })],
    ['an expired token', () => tokenFor({ exp: now() - 3600, nbf: now() - 7200, iat: now() - 7200 })],
    ['a token not valid yet', () => tokenFor({ nbf: now() + 3600 })],
    ['a token signed by a key the JWKS does not hold', () => tokenFor({}, { key: 'untrusted', kid: 'unknown-key' })],
    ['a token signed by another key under the published key id', () => tokenFor({}, { key: 'untrusted' })],
    ['a token whose serviceurl claim is not the activity’s serviceUrl', () => tokenFor({ serviceurl: 'https://smba.trafficmanager.net/evil/' })],
    ['a malformed token', () => 'not-a-jwt'],
  ])('refuses %s with 401 without running the bot', async (_name, token) => {
    await expectRejected(() => bot.send(activity(), token()));
  });

  it('refuses a token with the wrong scheme or an unsigned token', async () => {
    const send = (authorization: string) =>
      fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(activity()) });
    await expectRejected(() => send(`Basic ${Buffer.from('a:b').toString('base64')}`));
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: BOT_FRAMEWORK_ISSUER, aud: TEAMS_APP_ID, serviceurl: bot.connector.serviceUrl, exp: now() + 600 })).toString('base64url');
    await expectRejected(() => send(`Bearer ${header}.${payload}.`));
  });

  it('refuses a valid token presented for an activity from another serviceUrl', async () => {
    const elsewhere = teamsMessage('status', { serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    await expectRejected(() => bot.send(elsewhere, tokenFor()));
  });

  it('answers 400 to a body that is not an activity, after authenticating it', async () => {
    const response = await bot.send({ type: 'message', serviceUrl: bot.connector.serviceUrl, channelId: 'msteams' }, tokenFor());
    expect(response.status).toBe(400);
    const unreadable = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor()}` },
      body: '{not json',
    });
    expect(unreadable.status).toBe(400);
    expect(await unreadable.json()).toEqual({ error: 'unreadable request body' });
  });
});

describe('Teams outbound authentication as production does it (botbuilder MSAL client credentials, no custom login URL)', () => {
  let bot: TeamsHarness;

  afterEach(async () => {
    await bot?.close();
  });

  // Distinct app ids: botbuilder caches outbound tokens per app id and scope for the whole process.
  it.each<[string, string, string | undefined, string]>([
    ['a MultiTenant app', '5e6f7a8b-0000-4111-8222-933344445555', undefined, 'botframework.com'],
    ['a SingleTenant app', '6f7a8b9c-0000-4111-8222-933344445555', '7d0c3c3e-2f1a-4b5e-9c8d-6e5f4a3b2c1d', '7d0c3c3e-2f1a-4b5e-9c8d-6e5f4a3b2c1d'],
  ])('signs the reply to %s with a token MSAL got from the loopback Azure AD', async (_name, appId, tenantId, expectedTenant) => {
    bot = await startTeamsHarness({ outboundAuth: 'msal', appId, tenantId });
    const response = await bot.send(teamsMessage('status', { serviceUrl: bot.connector.serviceUrl }));
    expect(response.status).toBe(200);
    await eventually('the reply', () => bot.connector.calls.length === 1);
    // The inbound token was checked against the loopback OpenID metadata and key set.
    expect(bot.auth?.fetches.keys).toBeGreaterThan(0);
    expect(bot.connector.calls[0]?.authorization).toBe(`Bearer ${bot.connector.accessToken}`);
    expect(bot.connector.tokenRequests).toEqual([
      {
        tenant: expectedTenant,
        client: 'msal.js.node',
        form: expect.objectContaining({ grant_type: 'client_credentials', client_id: appId, client_secret: 'test-secret', scope: 'https://api.botframework.com/.default' }),
      },
    ]);
  });
});
