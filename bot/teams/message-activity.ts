import type { Activity } from 'botbuilder';
import type { Message } from '../../core/index.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from './cards/card-types.js';
import { renderAdaptiveCard } from './cards/render-adaptive-card.js';

/** Teams shows `summary` in notifications and the activity feed; longer text is clipped there anyway. */
const SUMMARY_CHARS = 200;

/** A message activity carrying the message as one Adaptive Card; `imageUrls` says where its images are hosted, by block index. */
export function messageActivity(message: Message, imageUrls?: ReadonlyMap<number, string>): Partial<Activity> {
  const summary = message.text.length > SUMMARY_CHARS ? `${message.text.slice(0, SUMMARY_CHARS - 1)}…` : message.text;
  return {
    type: 'message',
    summary,
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderAdaptiveCard(message, { imageUrls }) }],
  };
}
