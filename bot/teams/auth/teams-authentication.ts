import type { INetworkModule } from '@azure/msal-node';
import { createRequire } from 'node:module';
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import {
  AppCredentials,
  AuthenticationConstants,
  MsalServiceClientCredentialsFactory,
  type BotFrameworkAuthentication,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { ConfigError, type OpsbotConfig } from '../../../core/index.js';
import { LoginUrlCredentials, LoginUrlCredentialsFactory } from './login-url-credentials-factory.js';

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

export interface TeamsAuthentication {
  /** For the CloudAdapter and the messages route. */
  botFramework: BotFrameworkAuthentication;
  /**
   * Rejects with why the app cannot get the outbound token that signs every reply (Teams is
   * push-based: this is what "connected" means). Tokens are cached, so a probe is cheap.
   */
  readiness(): Promise<void>;
}

/**
 * Bot Framework authentication for the configured app: inbound JWTs checked against Bot
 * Framework's OpenID metadata (or config's override), outbound calls signed with the app's token.
 */
export function createTeamsAuthentication(teams: TeamsConfig, options: TeamsAuthenticationOptions = {}): TeamsAuthentication {
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
    const factory = credentialsFactory(teams, tenant, settings, options);
    return {
      botFramework: new ConfigurationBotFrameworkAuthentication(settings, factory),
      readiness: () => probeOutboundToken(factory, teams.appId, loginUrl),
    };
  } catch (error) {
    // botbuilder asserts the credential combination per app type (a SingleTenant app needs its tenant and password).
    throw new ConfigError([`teams: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/** Gets a token the way a reply does: from the adapter's own factory, for the connector's scope, at its login URL. */
async function probeOutboundToken(factory: ServiceClientCredentialsFactory, appId: string, loginUrl: string): Promise<void> {
  // Emulator mode: replies go unsigned, so there is nothing to connect.
  if (!appId) return;
  try {
    const credentials = await factory.createCredentials(appId, AuthenticationConstants.ToChannelFromBotOAuthScope, loginUrl, true);
    if (!(credentials instanceof AppCredentials || credentials instanceof LoginUrlCredentials)) throw new Error('its credentials cannot be asked for a token');
    // The token itself is dropped: it never reaches a log or the readiness report.
    await credentials.getToken();
  } catch (error) {
    throw new Error(`Teams: cannot get a token for app ${appId} from ${new URL(loginUrl).host}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * An app with a password signs its replies with a client-credentials token from MSAL,
 * through botbuilder's MsalServiceClientCredentialsFactory: the same MSAL client, on the
 * same authority (`https://login.microsoftonline.com/{tenant}`), as botbuilder's default
 * factory builds, made here so its HTTP client can be chosen. Managed identities and the
 * emulator get the factory botbuilder would make by default, built here so readiness
 * can ask it for a token too.
 */
function credentialsFactory(
  teams: TeamsConfig,
  tenant: string,
  settings: ConstructorParameters<typeof ConfigurationServiceClientCredentialFactory>[0],
  options: TeamsAuthenticationOptions,
): ServiceClientCredentialsFactory {
  if (options.loginUrl) return new LoginUrlCredentialsFactory(teams.appId, teams.appPassword ?? '');
  // botbuilder's own factory asserts what each app type needs (a SingleTenant app names its tenant), and manages identities.
  if (!teams.appId || !teams.appPassword || teams.appType === 'UserAssignedMSI' || (teams.appType === 'SingleTenant' && !teams.tenantId)) {
    return new ConfigurationServiceClientCredentialFactory(settings);
  }
  const msal = new msalNode.ConfidentialClientApplication({
    auth: { clientId: teams.appId, clientSecret: teams.appPassword, authority: `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${tenant}` },
    ...(options.msalNetwork ? { system: { networkClient: options.msalNetwork } } : {}),
  });
  // The same class under botbuilder's typings (lib/types) and the ESM ones (dist).
  return new MsalServiceClientCredentialsFactory(teams.appId, msal as unknown as MsalClient);
}
