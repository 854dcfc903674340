import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { ChatPort, ConversationRef, Logger, Message } from '../../core/index.js';
import type { ConversationReferences } from './conversation-references.js';
import type { ImageHost } from './images/image-host.js';
import type { PostedThreads } from './posted-threads.js';
import { messageActivity } from './message-activity.js';
import { decodeMessageRef, encodeMessageRef } from './message-ref.js';

export interface TeamsChatPortDeps {
  adapter: CloudAdapter;
  /** The bot's app id ('' in emulator mode): outbound calls get a token for it. */
  appId: string;
  references: ConversationReferences;
  log: Logger;
  /** Hosts images for the cards to show by URL; without it, only images small enough to go inline are shown. */
  images?: ImageHost;
  /** Learns which thread each post answers, so a click on it runs in that thread. */
  threads?: PostedThreads;
  /** teams.serviceUrl: where to post in a conversation no message taught us yet (an alert thread after a restart). */
  serviceUrl?: string;
}

/**
 * Core's ChatPort on Teams. Every post and update goes out through
 * `continueConversationAsync`, so replies, job progress and posts after the
 * turn ended all take one path, authenticated as the bot.
 */
export class TeamsChatPort implements ChatPort {
  constructor(private readonly deps: TeamsChatPortDeps) {}

  async post(conversation: ConversationRef, message: Message): Promise<string> {
    const known = this.deps.references.get(conversation.channelId);
    const reference = known?.serviceUrl ? known : this.deps.serviceUrl ? this.rebuiltReference(conversation, this.deps.serviceUrl) : undefined;
    if (!reference?.serviceUrl) {
      throw new Error(
        `no Teams conversation reference for ${conversation.channelId}: opsbot learns a conversation from a message in it (references are kept in memory); set teams.serviceUrl (OPSBOT_TEAMS_SERVICE_URL) to post before that`,
      );
    }
    const activity = TurnContext.applyConversationReference(await this.activityFor(message), { ...reference, activityId: conversation.threadId });
    let id = '';
    await this.withConnector(reference, async (connector) => {
      const conversationId = conversation.channelId;
      // replyToActivity keeps the answer in the thread of the message it answers.
      const response = conversation.threadId
        ? await connector.conversations.replyToActivity(conversationId, conversation.threadId, activity)
        : await connector.conversations.sendToConversation(conversationId, activity);
      id = response.id ?? '';
    });
    if (!id) throw new Error('the Teams connector accepted the message but returned no activity id');
    if (conversation.threadId) this.deps.threads?.remember(conversation.channelId, id, conversation.threadId);
    return encodeMessageRef({ id, serviceUrl: reference.serviceUrl });
  }

  async update(conversation: ConversationRef, ref: string, message: Message): Promise<void> {
    const { id, serviceUrl } = decodeMessageRef(ref);
    const reference = this.deps.references.get(conversation.channelId) ?? this.rebuiltReference(conversation, serviceUrl);
    const activity = TurnContext.applyConversationReference({ ...(await this.activityFor(message)), id }, reference);
    await this.withConnector(reference, async (connector) => {
      await connector.conversations.updateActivity(conversation.channelId, id, activity);
    });
  }

  /** The message as an activity, its images hosted first when they can be. */
  private async activityFor(message: Message): Promise<Partial<Activity>> {
    return messageActivity(message, await this.deps.images?.urlsOf(message));
  }

  private async withConnector(reference: Partial<ConversationReference>, send: (connector: ConnectorClient) => Promise<void>): Promise<void> {
    const { adapter, appId } = this.deps;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      const connector = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
      if (!connector) throw new Error('botbuilder gave the proactive turn no connector client');
      await send(connector);
    });
  }

  /** Enough of a reference to reach a conversation that was forgotten (a restart) or never seen: the connector needs only its URL and ids. */
  private rebuiltReference(conversation: ConversationRef, serviceUrl: string): Partial<ConversationReference> {
    this.deps.log.debug({ conversation: conversation.channelId }, 'reaching a Teams conversation through a rebuilt conversation reference');
    return {
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: conversation.channelId, tenantId: conversation.workspace || undefined, isGroup: false, conversationType: '', name: '' },
      bot: { id: this.deps.appId ? `28:${this.deps.appId}` : 'opsbot', name: 'opsbot' },
    };
  }
}
