import type { INetworkModule } from '@azure/msal-node';
import { createRequire } from 'node:module';
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, MsalServiceClientCredentialsFactory, type BotFrameworkAuthentication, type ServiceClientCredentialsFactory } from 'botframework-connector';
import { ConfigError, type OpsbotConfig } from '../../../core/index.js';
import { LoginUrlCredentialsFactory } from './login-url-credentials-factory.js';

type TeamsConfig = NonNullable<OpsbotConfig['teams']>;
type MsalClient = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];

/**
 * MSAL as botbuilder loads it (its CommonJS build): an ESM import would load a second copy,
 * whose client class TypeScript also sees as a different type from the one botbuilder takes.
 */
const msalNode = createRequire(import.meta.url)('@azure/msal-node') as typeof import('@azure/msal-node');

export interface TeamsAuthenticationOptions {
  /**
   * Where outbound tokens come from instead of https://login.microsoftonline.com; tokens are
   * requested at `{loginUrl}/{tenant}/oauth2/v2.0/token`. Tests point it at a local fake.
   */
  loginUrl?: string;
  /**
   * MSAL's HTTP client for the outbound token (MSAL's own https client by default). MSAL
   * refuses http:// authorities and asks login.microsoftonline.com about unknown hosts,
   * so this, and not the authority, is how a test reaches a loopback token endpoint.
   */
  msalNetwork?: INetworkModule;
}

/**
 * Bot Framework authentication for the configured app: inbound JWTs checked against Bot
 * Framework's OpenID metadata (or config's override), outbound calls signed with the app's token.
 */
export function createTeamsAuthentication(teams: TeamsConfig, options: TeamsAuthenticationOptions = {}): BotFrameworkAuthentication {
  const tenant = teams.appType === 'SingleTenant' && teams.tenantId ? teams.tenantId : AuthenticationConstants.DefaultChannelAuthTenant;
  const loginUrl = options.loginUrl ? `${options.loginUrl.replace(/\/$/, '')}/${tenant}` : AuthenticationConstants.ToChannelFromBotLoginUrl;
  const settings = {
    MicrosoftAppId: teams.appId,
    MicrosoftAppPassword: teams.appPassword ?? '',
    MicrosoftAppTenantId: teams.tenantId ?? '',
    MicrosoftAppType: teams.appType,
    // Naming any one endpoint makes botbuilder use only the endpoints named (a blank issuer
    // would reject every token), so all are named, with the public cloud's values by default.
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: loginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: teams.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
  try {
    return new ConfigurationBotFrameworkAuthentication(settings, credentialsFactory(teams, tenant, options));
  } catch (error) {
    // botbuilder asserts the credential combination per app type (a SingleTenant app needs its tenant and password).
    throw new ConfigError([`teams: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/**
 * An app with a password signs its replies with a client-credentials token from MSAL,
 * through botbuilder's MsalServiceClientCredentialsFactory: the same MSAL client, on the
 * same authority (`https://login.microsoftonline.com/{tenant}`), as botbuilder's default
 * factory builds, made here so its HTTP client can be chosen. Managed identities and the
 * emulator keep botbuilder's default (undefined).
 */
function credentialsFactory(teams: TeamsConfig, tenant: string, options: TeamsAuthenticationOptions): ServiceClientCredentialsFactory | undefined {
  if (options.loginUrl) return new LoginUrlCredentialsFactory(teams.appId, teams.appPassword ?? '');
  // botbuilder's own factory asserts what each app type needs (a SingleTenant app names its tenant), and manages identities.
  if (!teams.appId || !teams.appPassword || teams.appType === 'UserAssignedMSI' || (teams.appType === 'SingleTenant' && !teams.tenantId)) return undefined;
  const msal = new msalNode.ConfidentialClientApplication({
    auth: { clientId: teams.appId, clientSecret: teams.appPassword, authority: `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${tenant}` },
    ...(options.msalNetwork ? { system: { networkClient: options.msalNetwork } } : {}),
  });
  // The same class under botbuilder's typings (lib/types) and the ESM ones (dist).
  return new MsalServiceClientCredentialsFactory(teams.appId, msal as unknown as MsalClient);
}
