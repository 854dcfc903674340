import type { types } from '@slack/bolt';
import type { Button, Link, Message, MessageBlock, SelectOption } from '../../core/index.js';
import { BUTTON_ACTION_PREFIX, SELECT_ACTION_PREFIX } from './action-ids.js';
import { clip, escapeMrkdwn, mrkdwnWithMentions, splitText, truncate } from './mrkdwn.js';
import { mrkdwnLink } from './mrkdwn-link.js';
import { monospaceTableLines } from './monospace-table.js';
import { SLACK_LIMITS as L } from './slack-limits.js';
import { TONE_EMOJI } from './tone-emoji.js';

export type KnownBlock = types.KnownBlock;

/** What chat.postMessage / chat.update take: blocks, and the text notifications and old clients show. */
export interface BlockKitMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Room kept in a section for the tone emoji the first block gets. */
const PREFIX_ROOM = 40;
const SECTION_BUDGET = L.sectionText - PREFIX_ROOM;
const FENCE = '```';

/** A rendered block and whether it is interactive: those survive when a message is cut to 50 blocks. */
interface Rendered {
  block: KnownBlock;
  interactive: boolean;
}

function section(text: string): Rendered {
  return { block: { type: 'section', text: { type: 'mrkdwn', text } }, interactive: false };
}

function note(text: string): Rendered {
  return { block: { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, L.contextText - PREFIX_ROOM) }] }, interactive: false };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function renderTable(columns: readonly string[], rows: readonly (readonly string[])[]): Rendered[] {
  if (rows.length === 0) return [section(`${escapeMrkdwn(columns.join(' · '))}\n_(no rows)_`)];
  const maxLine = SECTION_BUDGET - 2 * (FENCE.length + 1);
  const [header = '', rule = '', ...body] = monospaceTableLines(columns, rows).map((line) => truncate(escapeMrkdwn(line), maxLine));
  // Each section repeats the header, so a table split over several sections still reads as one.
  const sections: Rendered[] = [];
  let lines = [header, rule];
  const flush = () => sections.push(section(`${FENCE}\n${lines.join('\n')}\n${FENCE}`));
  for (const line of body) {
    const size = lines.reduce((sum, l) => sum + l.length + 1, 0) + line.length + 2 * (FENCE.length + 1);
    if (size > SECTION_BUDGET && lines.length > 2) {
      flush();
      lines = [header, rule];
    }
    lines.push(line);
  }
  flush();
  return sections;
}

function renderButtons(buttons: readonly Button[], nextId: () => number): Rendered[] {
  const usable = buttons.filter((button) => button.command.length > 0 && button.command.length <= L.buttonValue);
  const elements: types.Button[] = usable.map((button) => {
    const element: types.Button = {
      type: 'button',
      action_id: `${BUTTON_ACTION_PREFIX}${nextId()}`,
      text: { type: 'plain_text', text: clip(button.label || button.command, L.buttonText), emoji: true },
      value: button.command,
    };
    if (button.style) element.style = button.style;
    if (button.confirm) {
      element.confirm = {
        title: { type: 'plain_text', text: clip(button.confirm.title, L.confirmTitle) },
        text: { type: 'plain_text', text: clip(button.confirm.text, L.confirmText) },
        confirm: { type: 'plain_text', text: clip(button.confirm.confirmLabel, L.confirmButton) },
        deny: { type: 'plain_text', text: clip(button.confirm.denyLabel, L.confirmButton) },
        style: button.style === 'danger' ? 'danger' : 'primary',
      };
    }
    return element;
  });
  const rendered: Rendered[] = chunk(elements, L.actionsElements).map((group) => ({ block: { type: 'actions', elements: group }, interactive: true }));
  const left = buttons.length - usable.length;
  if (left > 0) rendered.push(note(`(${left} button${left === 1 ? '' : 's'} left out: ${left === 1 ? 'its command is' : 'their commands are'} too long for Slack; type the command instead)`));
  return rendered;
}

/**
 * Links as context blocks, one mrkdwn element each (a context holds ten). A link too long for an
 * element keeps its label, since cutting `<url|label>` would break it.
 */
function renderLinks(links: readonly Link[]): Rendered[] {
  const max = L.contextText - PREFIX_ROOM;
  const texts = links.map((link) => {
    const text = mrkdwnLink(link);
    return text.length <= max ? text : truncate(`${escapeMrkdwn(link.label)} (link too long for Slack)`, max);
  });
  return chunk(texts, L.contextElements).map((group) => ({
    block: { type: 'context', elements: group.map((text) => ({ type: 'mrkdwn' as const, text })) },
    interactive: false,
  }));
}

function renderSelect(placeholder: string, options: readonly SelectOption[], nextId: () => number): Rendered[] {
  const fitting = options.filter((option) => option.command.length > 0 && option.command.length <= L.optionValue);
  const shown = fitting.slice(0, L.selectOptions);
  const rendered: Rendered[] = [];
  if (shown.length > 0) {
    const select: types.StaticSelect = {
      type: 'static_select',
      action_id: `${SELECT_ACTION_PREFIX}${nextId()}`,
      placeholder: { type: 'plain_text', text: clip(placeholder || 'Choose', L.selectPlaceholder), emoji: true },
      options: shown.map((option) => ({ text: { type: 'plain_text', text: clip(option.label || option.command, L.optionText), emoji: true }, value: option.command })),
    };
    rendered.push({ block: { type: 'actions', elements: [select] }, interactive: true });
  }
  const left = options.length - shown.length;
  if (left > 0) rendered.push(note(`… (truncated, ${left} more option${left === 1 ? '' : 's'} not shown; type the command instead)`));
  return rendered;
}

function renderBlock(block: MessageBlock, nextId: () => number): Rendered[] {
  switch (block.type) {
    case 'text':
      return splitText(mrkdwnWithMentions(block.text, block.mentions), SECTION_BUDGET)
        .filter((text) => text.trim().length > 0)
        .map(section);
    case 'fields':
      return chunk(block.fields, L.sectionFields).map((group) => ({
        block: {
          type: 'section',
          fields: group.map((field) => ({ type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, L.fieldText) })),
        },
        interactive: false,
      }));
    case 'table':
      return renderTable(block.columns, block.rows);
    case 'context':
      return [note(escapeMrkdwn(block.text))];
    case 'links':
      return renderLinks(block.links);
    case 'buttons':
      return renderButtons(block.buttons, nextId);
    case 'select':
      return renderSelect(block.placeholder, block.options, nextId);
    case 'image':
      // Block Kit images need a public URL; the PNG is uploaded into the thread instead.
      return [note(`:frame_with_picture: ${escapeMrkdwn(block.title ?? block.alt)} (image attached in the thread)`)];
  }
}

/** Puts the tone's emoji in front of the first block, whatever kind it is. */
function withTone(rendered: Rendered[], emoji: string): Rendered[] {
  const [head, ...tail] = rendered;
  if (!head) return rendered;
  const block = head.block;
  if (block.type === 'section') {
    const text = block.text ? { ...block.text, text: `${emoji} ${block.text.text}` } : { type: 'mrkdwn' as const, text: emoji };
    return [{ ...head, block: { ...block, text } }, ...tail];
  }
  const lead = block.type === 'context' ? block.elements[0] : undefined;
  if (block.type === 'context' && lead?.type === 'mrkdwn') {
    return [{ ...head, block: { ...block, elements: [{ ...lead, text: `${emoji} ${lead.text}` }, ...block.elements.slice(1)] } }, ...tail];
  }
  return [note(emoji), ...rendered];
}

/**
 * Keeps a message within 50 blocks: interactive blocks (the buttons someone needs to
 * answer) are kept, content is kept from the top, and a note says how much was cut.
 */
function withinBlockLimit(rendered: Rendered[], max: number): KnownBlock[] {
  if (rendered.length <= max) return rendered.map((r) => r.block);
  const budget = max - 1;
  const interactive = rendered.filter((r) => r.interactive).slice(0, budget);
  let contentLeft = budget - interactive.length;
  const kept: KnownBlock[] = [];
  let noteAt = -1;
  for (const r of rendered) {
    if (r.interactive ? interactive.includes(r) : contentLeft-- > 0) kept.push(r.block);
    else if (noteAt < 0) noteAt = kept.length;
  }
  const dropped = rendered.length - kept.length;
  kept.splice(noteAt < 0 ? kept.length : noteAt, 0, note(`… (truncated, ${dropped} more block${dropped === 1 ? '' : 's'} not shown)`).block);
  return kept;
}

/** The notification / fallback text: the message summary with its tone, within Slack's 40,000 characters. */
function fallbackText(message: Message): string {
  const firstText = message.blocks.find((block) => block.type === 'text');
  const summary = message.text.trim() || (firstText?.type === 'text' ? firstText.text : '') || '(no text)';
  const mentions = message.blocks.flatMap((block) => (block.type === 'text' ? (block.mentions ?? []) : []));
  return truncate(`${TONE_EMOJI[message.tone]} ${mrkdwnWithMentions(summary, mentions)}`, L.messageText);
}

/** Renders core's neutral message as Block Kit, within every limit Slack publishes. */
export function renderBlockKit(message: Message): BlockKitMessage {
  let id = 0;
  const nextId = () => id++;
  const rendered = message.blocks.flatMap((block) => renderBlock(block, nextId));
  if (rendered.length === 0) rendered.push(section(truncate(escapeMrkdwn(message.text || ' '), SECTION_BUDGET)));
  const blocks = withinBlockLimit(withTone(rendered, TONE_EMOJI[message.tone]), L.blocksPerMessage);
  return { text: fallbackText(message), blocks };
}
