import { ClientCredentialsToken } from '../../../../bot/teams/auth/client-credentials-token.js';

function tokenEndpoint(responses: Array<{ status: number; body: unknown }>) {
  const requests: Array<{ url: string; body: string }> = [];
  const fetchFake: typeof fetch = async (url, init) => {
    requests.push({ url: String(url), body: String(init?.body) });
    const next = responses.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(next.body), { status: next.status, headers: { 'content-type': 'application/json' } });
  };
  return { requests, fetchFake };
}

const options = { tokenUrl: 'https://login.example/t/oauth2/v2.0/token', clientId: 'app', clientSecret: 's3cret', scope: 'https://api.botframework.com/.default' };

describe('ClientCredentialsToken', () => {
  it('requests a client-credentials token once and reuses it while valid, also when asked concurrently', async () => {
    const endpoint = tokenEndpoint([{ status: 200, body: { access_token: 'tok-1', expires_in: '3599', token_type: 'Bearer' } }]);
    const token = new ClientCredentialsToken({ ...options, fetch: endpoint.fetchFake });
    expect(await Promise.all([token.get(), token.get()])).toEqual(['tok-1', 'tok-1']);
    expect(await token.get()).toBe('tok-1');
    expect(endpoint.requests).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(endpoint.requests[0]?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app',
      client_secret: 's3cret',
      scope: 'https://api.botframework.com/.default',
    });
  });

  it('renews a token that is about to expire', async () => {
    const endpoint = tokenEndpoint([
      { status: 200, body: { access_token: 'short', expires_in: 0 } },
      { status: 200, body: { access_token: 'fresh', expires_in: 3600 } },
    ]);
    const token = new ClientCredentialsToken({ ...options, fetch: endpoint.fetchFake });
    expect(await token.get()).toBe('short');
    expect(await token.get()).toBe('fresh');
  });

  it('fails clearly on an error status or a body without a token, without leaking the secret', async () => {
    const failing = new ClientCredentialsToken({ ...options, fetch: tokenEndpoint([{ status: 401, body: { error: 'invalid_client' } }]).fetchFake });
    await expect(failing.get()).rejects.toThrow('token request to https://login.example/t/oauth2/v2.0/token failed: HTTP 401');
    const empty = new ClientCredentialsToken({ ...options, fetch: tokenEndpoint([{ status: 200, body: { token: 'x' } }]).fetchFake });
    await expect(empty.get()).rejects.toThrow(/no usable access_token/);
    await expect(empty.get()).rejects.not.toThrow(/s3cret/);
  });
});
