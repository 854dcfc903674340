export { createTeamsAdapter, type TeamsAdapterOptions } from './teams-adapter.js';
export { renderAdaptiveCard, TEAMS_CARD_MAX_BYTES, type RenderCardOptions } from './cards/render-adaptive-card.js';
export type { AdaptiveCard, CardElement, MentionEntity } from './cards/card-types.js';
export { TEAMS_MESSAGES_PATH } from './messages-route.js';
export { teamsAppManifest, OPSBOT_TEAMS_COMMANDS, type TeamsManifestOptions } from './app-package/teams-manifest.js';
export { buildTeamsAppPackage } from './app-package/teams-app-package.js';
