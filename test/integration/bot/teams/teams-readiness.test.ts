import type { ReadinessReport } from '../../../../app/health/index.js';
import { startTeamsHarness, type TeamsHarness } from '../../../helpers/teams-harness.js';

async function readyz(bot: TeamsHarness): Promise<{ status: number; text: string; body: ReadinessReport }> {
  const response = await fetch(`${bot.url}/readyz`);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as ReadinessReport };
}

const WRONG_PASSWORD = 'not-the-secret';

describe('/readyz for Teams: connected means the app can get the outbound token that signs its replies', () => {
  let bot: TeamsHarness | undefined;

  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  it('is ready once the login URL hands out a token, and never shows the token', async () => {
    bot = await startTeamsHarness();
    const ready = await readyz(bot);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, failing: [], checks: [{ name: 'database', ok: true }, { name: 'teams', ok: true }] });
    expect(bot.connector.tokenRequests).toHaveLength(1);
    expect(ready.text).not.toContain(bot.connector.accessToken);
  });

  it('answers 503 naming Teams, the app and the login host when the login URL refuses the password', async () => {
    const appId = '8b9cadbe-0000-4111-8222-933344445555';
    bot = await startTeamsHarness({ appId, appPassword: WRONG_PASSWORD });
    const down = await readyz(bot);
    expect(down.status).toBe(503);
    expect(down.body.failing).toEqual(['teams']);
    const host = new URL(bot.connector.loginUrl).host;
    expect(down.body.checks.find((check) => check.name === 'teams')?.error).toMatch(
      new RegExp(`^Teams: cannot get a token for app ${appId} from ${host.replace(/\./g, '\\.')}: .*HTTP 401 invalid_client`),
    );
    expect(down.text).not.toContain(WRONG_PASSWORD);
    expect(bot.connector.tokenRequests.map((request) => request.form.client_secret)).toEqual([WRONG_PASSWORD]);
  });

  // Distinct app ids: botbuilder caches outbound tokens per app id and scope for the whole process.
  it('is ready through MSAL, as production gets its token, and a second probe reuses the cached token', async () => {
    bot = await startTeamsHarness({ outboundAuth: 'msal', appId: '9cadbecf-0000-4111-8222-933344445555' });
    expect((await readyz(bot)).status).toBe(200);
    const second = await readyz(bot);
    expect(second.body).toMatchObject({ ready: true, checks: [{ name: 'database', ok: true }, { name: 'teams', ok: true }] });
    expect(bot.connector.tokenRequests).toEqual([expect.objectContaining({ client: 'msal.js.node', tenant: 'botframework.com' })]);
    expect(second.text).not.toContain(bot.connector.accessToken);
  });

  it('answers 503 naming Teams when Azure AD refuses MSAL the password (401 invalid_client)', async () => {
    const appId = 'adbecfd0-0000-4111-8222-933344445555';
    bot = await startTeamsHarness({ outboundAuth: 'msal', appId, appPassword: WRONG_PASSWORD });
    const down = await readyz(bot);
    expect(down.status).toBe(503);
    expect(down.body.failing).toEqual(['teams']);
    const error = down.body.checks.find((check) => check.name === 'teams')?.error;
    expect(error).toMatch(new RegExp(`^Teams: cannot get a token for app ${appId} from login\\.microsoftonline\\.com: .*invalid_client`));
    expect(down.text).not.toContain(WRONG_PASSWORD);
    // Nothing was cached from the refusal: the next probe asks again, and is refused again.
    expect((await readyz(bot)).status).toBe(503);
    expect(bot.connector.tokenRequests).toHaveLength(2);
  });

  it('is ready in emulator mode without asking for a token', async () => {
    bot = await startTeamsHarness({ emulator: true });
    expect(await readyz(bot)).toMatchObject({ status: 200, body: { ready: true, checks: [{ name: 'database', ok: true }, { name: 'teams', ok: true }] } });
    expect(bot.connector.tokenRequests).toHaveLength(0);
  });
});
