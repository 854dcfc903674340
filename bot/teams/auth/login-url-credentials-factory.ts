import { ServiceClientCredentialsFactory } from 'botframework-connector';
import { ClientCredentialsToken } from './client-credentials-token.js';

type Credentials = Awaited<ReturnType<ServiceClientCredentialsFactory['createCredentials']>>;

const UNSIGNED: Credentials = { signRequest: async (request) => request };

/**
 * Outbound credentials from a login endpoint named in config rather than Azure AD's public one.
 * botbuilder's own factory goes through MSAL, which accepts only https authorities and
 * discovers them online, so it cannot reach a loopback fake; this one posts the standard
 * client-credentials request to `{loginEndpoint}/oauth2/v2.0/token` itself.
 */
export class LoginUrlCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly tokens = new Map<string, ClientCredentialsToken>();

  constructor(
    private readonly appId: string,
    private readonly password: string,
  ) {
    super();
  }

  override async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  override async isAuthenticationDisabled(): Promise<boolean> {
    return !this.appId;
  }

  override async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string): Promise<Credentials> {
    if (!this.appId) return UNSIGNED;
    if (appId !== this.appId) throw new Error('Invalid appId.');
    const scope = `${(audience ?? 'https://api.botframework.com').replace(/\/$/, '')}/.default`;
    const tokenUrl = `${loginEndpoint.replace(/\/$/, '')}/oauth2/v2.0/token`;
    const key = `${tokenUrl} ${scope}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = new ClientCredentialsToken({ tokenUrl, clientId: appId, clientSecret: this.password, scope });
      this.tokens.set(key, token);
    }
    return new LoginUrlCredentials(token);
  }
}

/** Signs a request with the app's token; `getToken` as botbuilder's AppCredentials name it, so readiness can ask for one. */
export class LoginUrlCredentials implements Credentials {
  constructor(private readonly source: ClientCredentialsToken) {}

  getToken(): Promise<string> {
    return this.source.get();
  }

  async signRequest(request: Parameters<Credentials['signRequest']>[0]): ReturnType<Credentials['signRequest']> {
    request.headers.set('Authorization', `Bearer ${await this.source.get()}`);
    return request;
  }
}
