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
}

export interface TeamsConnectorFake {
  /** The serviceUrl to put on activities, with a region path as Teams' own have. */
  serviceUrl: string;
  /** What TeamsAdapterOptions.loginUrl should be, so outbound tokens come from here. */
  loginUrl: string;
  /** The access token the fake token endpoint hands out. */
  accessToken: string;
  calls: ConnectorCall[];
  tokenRequests: TokenRequest[];
  close(): Promise<void>;
}

const REGION = '/amer';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Plays the Bot Framework connector (v3 REST API) at an activity's serviceUrl, and the Azure AD
 * token endpoint for outbound auth, recording every body and Authorization header.
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
      if (req.method === 'POST' && token) {
        tokenRequests.push({ tenant: decodeURIComponent(token[1] as string), form: Object.fromEntries(new URLSearchParams(raw)) });
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
