import type { Mention } from '../../../core/index.js';
import type { MentionEntity, TextBlock } from './card-types.js';

/**
 * Teams TextBlock markdown joins single newlines into one paragraph, so every line
 * break becomes a blank line (a paragraph break) to keep core's line structure.
 */
export function cardMarkdown(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\n+/g, '\n\n');
}

/** Core writes a mention as `<@userId>`; Teams wants `<at>name</at>` plus a mention entity naming the user. */
export function withTeamsMentions(text: string, mentions: readonly Mention[] | undefined): { text: string; entities: MentionEntity[] } {
  let result = text;
  const entities: MentionEntity[] = [];
  for (const mention of mentions ?? []) {
    const token = `<@${mention.userId}>`;
    if (!result.includes(token)) continue;
    // `<` and `>` inside the name would end the <at> tag early.
    const name = mention.displayName.replace(/[<>]/g, '');
    const at = `<at>${name}</at>`;
    result = result.split(token).join(at);
    entities.push({ type: 'mention', text: at, mentioned: { id: mention.userId, name } });
  }
  return { text: result, entities };
}

export function textBlock(text: string, extra: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text: cardMarkdown(text), wrap: true, ...extra };
}
