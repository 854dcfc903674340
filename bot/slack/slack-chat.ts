import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { ChatPort, ConversationRef, Logger, Message } from '../../core/index.js';
import { formatMessageRef, parseMessageRef } from './message-ref.js';
import { renderBlockKit, type BlockKitMessage } from './render-block-kit.js';
import { renderPlainText } from './render-plain-text.js';
import { UpdateThrottle } from './update-throttle.js';
import { slackErrorCode, type WebClient } from './web-client.js';

/** Errors that mean Slack refused the blocks themselves: the same content as text will land. */
const BLOCKS_REFUSED = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long']);
/** Errors that mean the message cannot be edited any more: post the new state instead. */
const NOT_EDITABLE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);
/** Errors that mean the bot cannot post where it was asked: it is not a member of the channel. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);
/** How many messages' uploaded images are remembered, so an update does not upload them again. */
const MAX_TRACKED_MESSAGES = 1000;
/** Slack accepts a slash command's response_url for 30 minutes. */
const RESPONSE_URL_TTL_MS = 30 * 60_000;

const postedSchema = z.looseObject({ ts: z.string().min(1), channel: z.string().optional() });

type ImageBlock = Extract<Message['blocks'][number], { type: 'image' }>;

export interface SlackChatOptions {
  client: WebClient;
  log: Logger;
  /** Least time between two edits of one message (Slack: about one write per second). */
  updateIntervalMs?: number;
}

/**
 * opsbot's ChatPort on Slack: posts Block Kit with chat.postMessage, edits in place with
 * chat.update (throttled per message, newest state always landing), uploads images into
 * the thread with files.uploadV2, and falls back to plain text when Slack refuses blocks.
 */
/** A thread opsbot posted in counts as its own for a day: long past any question it asked there. */
const OWN_THREAD_TTL_MS = 24 * 3600 * 1000;

export class SlackChat implements ChatPort {
  private readonly throttle: UpdateThrottle<Message>;
  /** Per message, the digests of the images already uploaded for it. */
  private readonly uploaded = new LRUCache<string, Set<string>>({ max: MAX_TRACKED_MESSAGES });
  /** Per channel, the latest slash command's response_url. */
  private readonly responseUrls = new LRUCache<string, string>({ max: MAX_TRACKED_MESSAGES, ttl: RESPONSE_URL_TTL_MS });
  /** Threads opsbot posted in (`channel:thread_ts`): replies there reach it without a mention. */
  private readonly threads = new LRUCache<string, true>({ max: MAX_TRACKED_MESSAGES, ttl: OWN_THREAD_TTL_MS });

  constructor(private readonly options: SlackChatOptions) {
    this.throttle = new UpdateThrottle<Message>(options.updateIntervalMs ?? 1000);
  }

  async post(conversation: ConversationRef, message: Message): Promise<string> {
    const channel = slackChannel(conversation);
    let ts: string;
    try {
      ts = await this.postMessage(channel, conversation.threadId, message);
    } catch (error) {
      if (NOT_A_MEMBER.has(slackErrorCode(error) ?? '')) await this.explainNotAMember(channel);
      throw error;
    }
    const ref = formatMessageRef(channel, ts);
    this.throttle.touch(ref);
    this.threads.set(`${channel}:${conversation.threadId ?? ts}`, true);
    await this.uploadImages(ref, channel, conversation.threadId ?? ts, message);
    return ref;
  }

  /** Whether opsbot posted in this thread lately, so a reply there without a mention is meant for it. */
  isOwnThread(channel: string, threadTs: string): boolean {
    return this.threads.has(`${channel}:${threadTs}`);
  }

  update(conversation: ConversationRef, ref: string, message: Message): Promise<void> {
    slackChannel(conversation);
    return this.throttle.schedule(ref, message, (latest) => this.sendUpdate(conversation, ref, latest));
  }

  /**
   * Remembers where a slash command can be answered without the bot being in the channel
   * (its response_url), so a refused post can at least tell the person why.
   */
  rememberResponseUrl(channel: string, url: string): void {
    this.responseUrls.set(channel, url);
  }

  /** Sends edits still waiting for their turn (shutdown). */
  flush(): Promise<void> {
    return this.throttle.flush();
  }

  private async postMessage(channel: string, threadTs: string | undefined, message: Message): Promise<string> {
    const { client } = this.options;
    const rendered = renderBlockKit(message);
    const base = { channel, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false, unfurl_media: false };
    try {
      return postedSchema.parse(await client.chat.postMessage({ ...base, ...asArgs(rendered) })).ts;
    } catch (error) {
      if (!BLOCKS_REFUSED.has(slackErrorCode(error) ?? '')) throw error;
      this.options.log.warn({ err: error, channel }, 'Slack refused the blocks; posting the message as text');
      return postedSchema.parse(await client.chat.postMessage({ ...base, text: renderPlainText(message) })).ts;
    }
  }

  private async sendUpdate(conversation: ConversationRef, ref: string, message: Message): Promise<void> {
    const { client, log } = this.options;
    const target = parseMessageRef(ref);
    if (!target) {
      // Not a message opsbot posted on Slack (a ref from another adapter): show the state anew.
      await this.post(conversation, message);
      return;
    }
    try {
      try {
        await client.chat.update({ channel: target.channel, ts: target.ts, ...asArgs(renderBlockKit(message)) });
      } catch (error) {
        if (!BLOCKS_REFUSED.has(slackErrorCode(error) ?? '')) throw error;
        log.warn({ err: error, ref }, 'Slack refused the blocks; updating the message as text');
        // An empty blocks array removes the old blocks, which would otherwise stay.
        await client.chat.update({ channel: target.channel, ts: target.ts, text: renderPlainText(message), blocks: [] });
      }
    } catch (error) {
      if (!NOT_EDITABLE.has(slackErrorCode(error) ?? '')) throw error;
      log.warn({ err: error, ref }, 'the message can no longer be edited; posting the new state in the thread');
      await this.post({ ...conversation, threadId: conversation.threadId ?? target.ts }, message);
      return;
    }
    await this.uploadImages(ref, target.channel, conversation.threadId ?? target.ts, message);
  }

  /** Tells the person who used /opsbot in a channel the bot is not in how to fix it (only they see it). */
  private async explainNotAMember(channel: string): Promise<void> {
    const url = this.responseUrls.get(channel);
    if (!url) return;
    this.responseUrls.delete(channel);
    const text = ":warning: I can't post in this channel because I'm not a member. Invite me with `/invite @opsbot`, or send me the command in a direct message.";
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', text }),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) this.options.log.warn({ status: response.status, channel }, 'the slash command response_url refused the notice');
    } catch (error) {
      this.options.log.warn({ err: error, channel }, 'could not reach the slash command response_url');
    }
  }

  /** Uploads the message's images that this message has not uploaded yet, into its thread. */
  private async uploadImages(ref: string, channel: string, threadTs: string, message: Message): Promise<void> {
    const images = message.blocks.filter((block): block is ImageBlock => block.type === 'image');
    if (images.length === 0) return;
    const done = this.uploadedFor(ref);
    for (const image of images) {
      const digest = createHash('sha256').update(image.png).digest('hex');
      if (done.has(digest)) continue;
      try {
        await this.options.client.filesUploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          file: Buffer.from(image.png),
          filename: fileName(image),
          title: image.title ?? image.alt,
          alt_text: image.alt.slice(0, 1000),
        });
        done.add(digest);
      } catch (error) {
        // The message itself is posted; a missing chart must not turn into a failed command.
        this.options.log.error({ err: error, ref, code: slackErrorCode(error) }, 'could not upload an image to Slack');
      }
    }
  }

  private uploadedFor(ref: string): Set<string> {
    let done = this.uploaded.get(ref);
    if (!done) {
      done = new Set();
      this.uploaded.set(ref, done);
    }
    return done;
  }
}

function slackChannel(conversation: ConversationRef): string {
  if (conversation.platform !== 'slack') throw new Error(`the Slack adapter cannot post to a ${conversation.platform} conversation`);
  return conversation.channelId;
}

function asArgs(rendered: BlockKitMessage): { text: string; blocks: BlockKitMessage['blocks'] } {
  return { text: rendered.text, blocks: rendered.blocks };
}

function fileName(image: ImageBlock): string {
  const slug = (image.title ?? image.alt)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'image'}.png`;
}
