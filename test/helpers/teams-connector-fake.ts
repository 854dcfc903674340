import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Framework connector. */
export interface ConnectorCall {
  kind: 'send' | 'reply' | 'update';
  method: string;
  /** Decoded from the URL path. */
  conversationId: string;
  /** The activity replied to (reply) or replaced (update). */
  activityId?: string;
  authorization?: string;
  body: ConnectorActivity;
  /** The id the fake answered with. */
  id: string;
}

/** The parts of an outgoing activity tests look at. */
export interface ConnectorActivity {
  type?: string;
  id?: string;
  replyToId?: string;
  summary?: string;
  conversation?: { id?: string };
  attachments?: Array<{ contentType?: string; content?: { body?: unknown[]; version?: string; msteams?: unknown } }>;
  [field: string]: unknown;
}

export interface TokenRequest {
  tenant: string;
  form: Record<string, string>;
  /** The client library that asked (MSAL names itself in the form's `x-client-SKU`: `msal.js.node`). */
  client?: string;
}

export interface TeamsConnectorFake {
  /** The serviceUrl to put on activities, with a region path as Teams' own have. */
  serviceUrl: string;
  /** What TeamsAdapterOptions.loginUrl should be, so outbound tokens come from here. */
  loginUrl: string;
  /** MSAL's HTTP client for TeamsAdapterOptions.msalNetwork: login.microsoftonline.com is answered here. */
  msalNetwork: INetworkModule;
  /** The access token the fake token endpoint hands out. */
  accessToken: string;
  calls: ConnectorCall[];
  tokenRequests: TokenRequest[];
  close(): Promise<void>;
}

const REGION = '/amer';

/** The only client secret the fake token endpoint accepts; any other is refused as Azure AD refuses a wrong one. */
export const TEAMS_CLIENT_SECRET = 'test-secret';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Plays the Bot Framework connector (v3 REST API) at an activity's serviceUrl, and the Azure AD
 * token endpoint for outbound auth (TEAMS_CLIENT_SECRET only), recording every body and Authorization header.
 */
export async function startTeamsConnectorFake(): Promise<TeamsConnectorFake> {
  const calls: ConnectorCall[] = [];
  const tokenRequests: TokenRequest[] = [];
  const accessToken = 'fake-connector-token';
  let next = 1;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = (req.url ?? '').split('?')[0] ?? '';
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
      const openId = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
      if (req.method === 'GET' && openId) return send(200, openIdConfiguration(decodeURIComponent(openId[1] as string)));
      if (req.method === 'POST' && token) {
        const form = Object.fromEntries(new URLSearchParams(raw));
        tokenRequests.push({ tenant: decodeURIComponent(token[1] as string), form, client: form['x-client-SKU'] });
        if (form.client_secret !== TEAMS_CLIENT_SECRET) {
          return send(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
        }
        return send(200, { access_token: accessToken, expires_in: 3600, token_type: 'Bearer' });
      }
      const activity = new RegExp(`^${REGION}/v3/conversations/([^/]+)/activities(?:/([^/]+))?$`).exec(path);
      if (!activity) return send(404, { error: { code: 'NotFound', message: path } });
      const conversationId = decodeURIComponent(activity[1] as string);
      const activityId = activity[2] === undefined ? undefined : decodeURIComponent(activity[2]);
      const kind = req.method === 'PUT' ? 'update' : activityId ? 'reply' : 'send';
      if ((req.method !== 'POST' && req.method !== 'PUT') || (kind === 'update' && !activityId)) return send(405, {});
      const id = kind === 'update' ? (activityId as string) : `act-${next++}`;
      calls.push({ kind, method: req.method, conversationId, activityId, authorization: req.headers.authorization, body: JSON.parse(raw) as ConnectorActivity, id });
      send(kind === 'send' ? 201 : 200, { id });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    serviceUrl: `${base}${REGION}/`,
    loginUrl: base,
    msalNetwork: loopbackNetwork(base),
    accessToken,
    calls,
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const AZURE_AD = 'https://login.microsoftonline.com';

/** Azure AD's OpenID configuration for a tenant, as MSAL reads it when it has none built in. */
function openIdConfiguration(tenant: string): Record<string, unknown> {
  return {
    issuer: `${AZURE_AD}/${tenant}/v2.0`,
    authorization_endpoint: `${AZURE_AD}/${tenant}/oauth2/v2.0/authorize`,
    token_endpoint: `${AZURE_AD}/${tenant}/oauth2/v2.0/token`,
    end_session_endpoint: `${AZURE_AD}/${tenant}/oauth2/v2.0/logout`,
    jwks_uri: `${AZURE_AD}/${tenant}/discovery/v2.0/keys`,
  };
}

/** An MSAL network client that sends Azure AD's requests to the fake instead: same paths, loopback host. */
function loopbackNetwork(base: string): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions = {}): Promise<NetworkResponse<T>> => {
    if (!url.startsWith(`${AZURE_AD}/`)) throw new Error(`MSAL asked for ${url}, which the fake does not serve`);
    const response = await fetch(`${base}${url.slice(AZURE_AD.length)}`, { method, headers: options.headers, body: options.body });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: (await response.json()) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
