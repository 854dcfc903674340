import { z } from 'zod';

/**
 * The shapes of Slack requests opsbot acts on, checked before anything reads them (even
 * a correctly signed request may be malformed). Unknown extra fields pass through:
 * Slack adds fields over time.
 */

export const urlVerificationSchema = z.object({ type: z.literal('url_verification'), challenge: z.string().max(500) });

export const eventCallbackSchema = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string().min(1),
  team_id: z.string().optional(),
  event: z.looseObject({ type: z.string().min(1) }),
});

export const slashCommandSchema = z.looseObject({
  command: z.string().startsWith('/'),
  text: z.string().default(''),
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  trigger_id: z.string().optional(),
  response_url: z.url({ protocol: /^https?$/ }).optional(),
});
export type SlashCommandPayload = z.infer<typeof slashCommandSchema>;

const actionSchema = z.looseObject({
  action_id: z.string().min(1),
  type: z.string().min(1),
  value: z.string().optional(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
});

export const blockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional(), team_id: z.string().optional() }),
  // null when the app is installed org-wide (Enterprise Grid).
  team: z.looseObject({ id: z.string() }).nullish(),
  channel: z.looseObject({ id: z.string() }).nullish(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).nullish(),
  container: z.looseObject({ channel_id: z.string().optional(), message_ts: z.string().optional(), thread_ts: z.string().optional() }).nullish(),
  actions: z.array(actionSchema).min(1),
});
export type BlockActionsPayload = z.infer<typeof blockActionsSchema>;

/** A message that addressed the bot: an `app_mention`, or a `message` in a DM. */
export const userMessageEventSchema = z.looseObject({
  type: z.enum(['app_mention', 'message']),
  user: z.string().min(1),
  text: z.string(),
  ts: z.string().min(1),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  thread_ts: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  team: z.string().optional(),
});
export type UserMessageEvent = z.infer<typeof userMessageEventSchema>;

/** Interactivity payload types Bolt is given; opsbot answers every other type with a bare 200. */
export const HANDLED_INTERACTIONS = new Set(['block_actions']);
