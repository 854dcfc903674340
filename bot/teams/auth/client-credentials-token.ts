import { z } from 'zod';

/** AAD answers `expires_in` as a number (v2 endpoint) or a numeric string (v1). */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
  token_type: z.string().optional(),
});

/** RFC 6749 §5.2: a refused token request names its error code (`invalid_client` for a wrong secret), in these characters. */
const tokenErrorSchema = z.object({ error: z.string().regex(/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/) });

/** Renew this long before expiry, as botbuilder does, so a token never lapses mid-request. */
const EARLY_RENEWAL_MS = 5 * 60_000;

export interface ClientCredentialsTokenOptions {
  /** e.g. https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://api.botframework.com/.default */
  scope: string;
  fetch?: typeof fetch;
}

/** An OAuth 2.0 client-credentials token (RFC 6749 §4.4), cached until shortly before it expires. */
export class ClientCredentialsToken {
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(private readonly options: ClientCredentialsTokenOptions) {}

  async get(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    // Concurrent replies share one token request.
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async request(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope } = this.options;
    const response = await (this.options.fetch ?? fetch)(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) throw new Error(`token request to ${tokenUrl} failed: HTTP ${response.status}${await oauthError(response)}`);
    const parsed = tokenResponseSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error(`token response from ${tokenUrl} has no usable access_token/expires_in`);
    const lifetimeMs = parsed.data.expires_in * 1000;
    this.cached = { token: parsed.data.access_token, renewAt: Date.now() + Math.max(lifetimeMs - EARLY_RENEWAL_MS, lifetimeMs / 2) };
    return parsed.data.access_token;
  }
}

async function oauthError(response: Response): Promise<string> {
  const parsed = tokenErrorSchema.safeParse(await response.json().catch(() => undefined));
  return parsed.success ? ` ${parsed.data.error}` : '';
}
