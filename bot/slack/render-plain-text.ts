import type { Message, MessageBlock } from '../../core/index.js';
import { escapeMrkdwn, mrkdwnWithMentions, truncate } from './mrkdwn.js';
import { mrkdwnLink } from './mrkdwn-link.js';
import { monospaceTableLines } from './monospace-table.js';
import { SLACK_LIMITS } from './slack-limits.js';
import { TONE_EMOJI } from './tone-emoji.js';

function lines(block: MessageBlock): string[] {
  switch (block.type) {
    case 'text':
      return [mrkdwnWithMentions(block.text, block.mentions)];
    case 'fields':
      return block.fields.map((field) => `*${escapeMrkdwn(field.label)}*: ${escapeMrkdwn(field.value)}`);
    case 'table':
      return ['```', ...monospaceTableLines(block.columns, block.rows).map(escapeMrkdwn), '```'];
    case 'context':
      return [`_${escapeMrkdwn(block.text)}_`];
    case 'links':
      return [block.links.map(mrkdwnLink).join(' · ')];
    case 'buttons':
      // Without blocks there is nothing to click: say what to type instead.
      return [block.buttons.map((button) => `${escapeMrkdwn(button.label)}: type \`${escapeMrkdwn(button.command)}\``).join(' · ')];
    case 'select':
      return [`${escapeMrkdwn(block.placeholder)}: ${block.options.map((option) => `\`${escapeMrkdwn(option.command)}\``).join(' | ')}`];
    case 'image':
      return [`:frame_with_picture: ${escapeMrkdwn(block.title ?? block.alt)} (image attached in the thread)`];
  }
}

/**
 * The whole message as one mrkdwn text, for when Slack refuses the blocks
 * (`invalid_blocks`): the reply still lands, and every button becomes the command to type.
 */
export function renderPlainText(message: Message): string {
  const body = message.blocks.flatMap(lines).filter((line) => line.trim().length > 0);
  if (body.length === 0) body.push(escapeMrkdwn(message.text || '(no text)'));
  return truncate(`${TONE_EMOJI[message.tone]} ${body.join('\n')}`, SLACK_LIMITS.messageText);
}
