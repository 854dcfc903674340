import { z } from 'zod';
import { ACTION_CATALOG, InvalidInputError, type ActionName } from '../../../core/index.js';
import { OPSBOT_ACCENT_COLOR } from './opsbot-icons.js';

export const TEAMS_MANIFEST_SCHEMA = 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json';

/** The commands Teams suggests when someone types to the bot (at most 10 per list). */
const COMMAND_NAMES = ['help', 'train', 'evaluate', 'deploy', 'rollback', 'scale', 'status', 'cancel', 'audit'] as const satisfies readonly ActionName[];

export const OPSBOT_TEAMS_COMMANDS: ReadonlyArray<{ title: string; description: string }> = COMMAND_NAMES.map((name) => ({
  title: name,
  // The manifest allows 128 characters.
  description: `${ACTION_CATALOG[name].summary} — e.g. ${ACTION_CATALOG[name].example}`.slice(0, 128),
}));

const SCOPES = ['personal', 'team', 'groupChat'] as const;

export const teamsManifestOptionsSchema = z.object({
  /** The bot's Microsoft App ID (a GUID); also the app's id. */
  appId: z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'must be the bot’s Microsoft App ID, a GUID'),
  name: z.string().trim().min(1).max(30, 'Teams allows at most 30 characters in the short name').default('opsbot'),
  /** The host serving opsbot, e.g. opsbot.example.com; added to validDomains and used for the developer links. */
  validDomain: z
    .string()
    .regex(/^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}(:\d+)?$/i, 'must be a host name such as opsbot.example.com, without https://')
    .optional(),
  /** Teams refuses to update an installed app unless this grows. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a version such as 1.0.0').default('1.0.0'),
});

export type TeamsManifestOptions = z.input<typeof teamsManifestOptionsSchema>;

/** The app manifest (schema v1.17) for opsbot's bot, in every scope, with its command list. */
export function teamsAppManifest(input: TeamsManifestOptions): Record<string, unknown> {
  const parsed = teamsManifestOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidInputError(`Cannot build the Teams app package: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}.`);
  }
  const { appId, name, validDomain, version } = parsed.data;
  // The developer links must be https URLs; without a domain they point at a placeholder to edit before publishing.
  const site = validDomain ? `https://${validDomain.replace(/^\*\./, '')}` : 'https://www.example.com/opsbot';
  return {
    $schema: TEAMS_MANIFEST_SCHEMA,
    manifestVersion: '1.17',
    version,
    id: appId.toLowerCase(),
    developer: { name: 'opsbot', websiteUrl: `${site}/`, privacyUrl: `${site}/privacy`, termsOfUseUrl: `${site}/terms` },
    name: { short: name, full: `${name}: ML-ops from chat` },
    description: {
      short: 'Train, evaluate, deploy, roll back and scale models from chat.',
      full: 'opsbot runs ML-ops from a conversation: train and evaluate model versions, deploy them to environments, roll back and scale, follow jobs as they run, and read the audit log. Every command is checked against your role, and destructive ones ask you to confirm.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: OPSBOT_ACCENT_COLOR,
    bots: [
      {
        botId: appId.toLowerCase(),
        scopes: [...SCOPES],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: [...SCOPES], commands: OPSBOT_TEAMS_COMMANDS.map((command) => ({ ...command })) }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: validDomain ? [validDomain] : [],
  };
}
