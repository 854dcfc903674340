import { CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, type BotFrameworkAuthentication } from 'botframework-connector';
import { ConfigError, type OpsbotConfig } from '../../../core/index.js';
import { LoginUrlCredentialsFactory } from './login-url-credentials-factory.js';

type TeamsConfig = NonNullable<OpsbotConfig['teams']>;

export interface TeamsAuthenticationOptions {
  /**
   * Where outbound tokens come from instead of https://login.microsoftonline.com; tokens are
   * requested at `{loginUrl}/{tenant}/oauth2/v2.0/token`. Tests point it at a local fake.
   */
  loginUrl?: string;
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
  const credentials = options.loginUrl ? new LoginUrlCredentialsFactory(teams.appId, teams.appPassword ?? '') : undefined;
  try {
    return new ConfigurationBotFrameworkAuthentication(settings, credentials);
  } catch (error) {
    // botbuilder asserts the credential combination per app type (a SingleTenant app needs its tenant and password).
    throw new ConfigError([`teams: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
