import { verifySlackSignature } from '../../../../bot/slack/index.js';
import { slackSignature } from '../../../helpers/slack-request.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const now = 1_700_000_000;
const body = 'token=x&team_id=T1&command=%2Fopsbot&text=help';
const request = (timestamp: number, signature = slackSignature(secret, timestamp, body)) => ({ rawBody: Buffer.from(body), timestamp: String(timestamp), signature });

describe('verifySlackSignature (v0)', () => {
  it('accepts a request signed with the secret within five minutes', () => {
    expect(verifySlackSignature(secret, request(now), now)).toEqual({ ok: true });
    expect(verifySlackSignature(secret, request(now - 299), now)).toEqual({ ok: true });
  });

  it('matches the example in Slack’s documentation', () => {
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const check = verifySlackSignature(
      secret,
      { rawBody: Buffer.from(docBody), timestamp: '1531420618', signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' },
      1531420618,
    );
    expect(check).toEqual({ ok: true });
  });

  it('refuses stale and future timestamps, other secrets, tampering and missing headers', () => {
    expect(verifySlackSignature(secret, request(now - 301), now).ok).toBe(false);
    expect(verifySlackSignature(secret, request(now + 301), now).ok).toBe(false);
    expect(verifySlackSignature('another-secret', request(now), now).ok).toBe(false);
    expect(verifySlackSignature(secret, { ...request(now), rawBody: Buffer.from(`${body}x`) }, now).ok).toBe(false);
    expect(verifySlackSignature(secret, { ...request(now), signature: 'v0=zz' }, now).ok).toBe(false);
    expect(verifySlackSignature(secret, { ...request(now), signature: undefined }, now).ok).toBe(false);
    expect(verifySlackSignature(secret, { ...request(now), timestamp: 'yesterday' }, now).ok).toBe(false);
  });
});
