import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The issuer Bot Framework puts on the tokens its channels (Teams) send to bots. */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface TokenOverrides {
  iss?: string;
  aud?: string;
  serviceurl?: string;
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** `trusted`: the key published in the JWKS (default); `untrusted`: a key the JWKS does not hold. */
  key?: 'trusted' | 'untrusted';
  /** The kid in the JWT header; defaults to the trusted key's id. */
  kid?: string;
}

export interface TeamsAuthFake {
  /** OpenID metadata URL to configure as teams.openIdMetadataUrl. */
  metadataUrl: string;
  /** How often the metadata and key set were fetched. */
  fetches: { metadata: number; keys: number };
  /** A Bot Framework channel token for `appId`, valid for an hour unless overridden. */
  token(appId: string, serviceUrl: string, overrides?: TokenOverrides, options?: SignOptions): string;
  close(): Promise<void>;
}

const TRUSTED_KID = 'opsbot-test-key';

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

function signJwt(payload: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = base64url(JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${body}`), privateKey);
  return `${header}.${body}.${base64url(signature)}`;
}

let keys: { trusted: KeyPair; untrusted: KeyPair } | undefined;
type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };

/** RSA key generation takes about a second; every fake in a test file shares one pair of keys. */
function testKeys(): { trusted: KeyPair; untrusted: KeyPair } {
  keys ??= {
    trusted: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    untrusted: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  };
  return keys;
}

/**
 * Plays Bot Framework's token authority on loopback: OpenID metadata, a JWKS whose key is
 * endorsed for msteams, and RS256 tokens signed with a key made here (node:crypto only).
 */
export async function startTeamsAuthFake(): Promise<TeamsAuthFake> {
  const { trusted, untrusted } = testKeys();
  const jwk = trusted.publicKey.export({ format: 'jwk' });
  const fetches = { metadata: 0, keys: 0 };
  let base = '';

  const server: Server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/v1/.well-known/openidconfiguration') {
      fetches.metadata += 1;
      send({ issuer: BOT_FRAMEWORK_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] });
    } else if (req.method === 'GET' && req.url === '/v1/.well-known/keys') {
      fetches.keys += 1;
      send({ keys: [{ ...jwk, kid: TRUSTED_KID, use: 'sig', alg: 'RS256', endorsements: ['msteams', 'emulator'] }] });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    fetches,
    token(appId, serviceUrl, overrides = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: BOT_FRAMEWORK_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...overrides };
      const key = options.key === 'untrusted' ? untrusted.privateKey : trusted.privateKey;
      return signJwt(payload, key, options.kid ?? TRUSTED_KID);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
