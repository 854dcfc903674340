import { ActivityTypes, TurnContext } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import type { DispatchResult, IncomingCommand, Logger } from '../../core/index.js';
import { incomingActivitySchema, type IncomingActivity } from './activity.schema.js';
import type { BackgroundTasks } from './background-tasks.js';
import { cardActionInvokeSchema, commandFromCardData } from './card-value.schema.js';
import type { ConversationReferences } from './conversation-references.js';
import { incomingCommand, plainCommandText } from './incoming-command.js';
import type { PostedThreads } from './posted-threads.js';

export interface TurnHandlerDeps {
  handle: (command: IncomingCommand) => Promise<DispatchResult>;
  references: ConversationReferences;
  /** The thread of each message the bot posted: a click on one runs in its thread. */
  threads?: PostedThreads;
  background: BackgroundTasks;
  log: Logger;
  /** How long an Action.Execute click waits for its command before answering "working on it". */
  invokeWaitMs: number;
}

const CARD_ACTION_INVOKE = 'adaptiveCard/action';
/** Activities remembered to drop redeliveries of the same message: bounded, and long past Bot Framework's retries. */
const SEEN_CAPACITY = 5_000;
const SEEN_TTL_MS = 3_600_000;

/** The bot logic for one authenticated activity: learn where the conversation lives, then run what it asks. */
export function createTurnHandler(deps: TurnHandlerDeps): (context: TurnContext) => Promise<void> {
  const seen = new LRUCache<string, true>({ max: SEEN_CAPACITY, ttl: SEEN_TTL_MS });
  return async (context) => {
    const activity = incomingActivitySchema.parse(context.activity);
    deps.references.learn(context.activity);
    if (activity.type === ActivityTypes.Message) {
      const key = `${activity.conversation.id}|${activity.id ?? ''}`;
      if (activity.id && seen.has(key)) return;
      seen.set(key, true);
      onMessage(context, activity, deps);
    } else if (activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION_INVOKE) {
      await onCardAction(context, activity, deps);
    }
    // conversationUpdate, installationUpdate, typing…: nothing to answer; learning the reference was the point.
  };
}

function onMessage(context: TurnContext, activity: IncomingActivity, deps: TurnHandlerDeps): void {
  let command: IncomingCommand;
  if (activity.value !== undefined && activity.value !== null) {
    // An Action.Submit click: the data is the command, run as whoever clicked.
    const text = commandFromCardData(activity.value);
    if (!text) {
      deps.log.warn({ conversation: activity.conversation.id }, 'ignored a Teams card submission that is not from an opsbot card');
      return;
    }
    command = incomingCommand(activity, text, cardThread(activity, deps));
  } else {
    if (typeof context.activity.text !== 'string') return;
    const text = plainCommandText(TurnContext.removeRecipientMention(context.activity) ?? '');
    if (!text) return;
    command = incomingCommand(activity, text, 'activity');
  }
  void deps.background.run('a Teams command', () => deps.handle(command));
}

async function onCardAction(context: TurnContext, activity: IncomingActivity, deps: TurnHandlerDeps): Promise<void> {
  const value = cardActionInvokeSchema.safeParse(activity.value);
  const text = value.success ? commandFromCardData(value.data.action.data) : undefined;
  if (!text) {
    await answerInvoke(context, { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'This card action is not one of opsbot’s.' } });
    return;
  }
  // A private answer (a refused approval) is the invoke response itself: Teams shows it to the clicker alone.
  const command = { ...incomingCommand(activity, text, cardThread(activity, deps)), respondPrivately: async () => undefined };
  const running = deps.background.run('a Teams card action', () => deps.handle(command));
  const result = await Promise.race([running, delay(deps.invokeWaitMs)]);
  // The dispatcher posts the full reply in the conversation; the invoke answer is the short version Teams shows by the card.
  const message = result ? (result.reply.text.split('\n')[0] ?? '').slice(0, 200) : `Working on “${text.slice(0, 100)}”…`;
  await answerInvoke(context, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message });
}

/** Where a click's command runs: the thread of the card clicked, when opsbot posted it in one it remembers; else the card itself. */
function cardThread(activity: IncomingActivity, deps: TurnHandlerDeps): { card: string | undefined } {
  const card = activity.replyToId ?? undefined;
  return { card: (card && deps.threads?.threadOf(activity.conversation.id, card)) || card };
}

async function answerInvoke(context: TurnContext, body: { statusCode: number; type: string; value: unknown }): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
