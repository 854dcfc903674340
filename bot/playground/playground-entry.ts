import { createHash } from 'node:crypto';
import type { LocalMessage } from '../local/local-workspace.js';
import { BOT_AUTHOR } from './playground-conversation.js';
import { renderMessageHtml, type ImageUrl } from './render-message-html.js';

/** One message as the page receives it over the event stream: metadata plus server-rendered HTML. */
export interface PlaygroundEntry {
  ref: string;
  /** The message this one replies to, when it is in a thread. */
  threadRef?: string;
  author: string;
  fromBot: boolean;
  at: string;
  html: string;
}

/**
 * Image URLs carry a digest of the bytes: an updated message may show a different image at
 * the same index, and the browser must not reuse the one it already has.
 */
function imageUrls(entry: LocalMessage): ImageUrl {
  return (index) => {
    const block = entry.message.blocks[index];
    const digest = block?.type === 'image' ? createHash('sha256').update(block.png).digest('hex').slice(0, 12) : '0';
    return `/playground/images/${encodeURIComponent(entry.ref)}/${index}?v=${digest}`;
  };
}

export function toPlaygroundEntry(entry: LocalMessage): PlaygroundEntry {
  return {
    ref: entry.ref,
    ...(entry.conversation.threadId ? { threadRef: entry.conversation.threadId } : {}),
    author: entry.author,
    fromBot: entry.author === BOT_AUTHOR,
    at: entry.at,
    html: renderMessageHtml(entry.message, imageUrls(entry)),
  };
}
