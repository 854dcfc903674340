import type { Mention } from '../../core/index.js';
import { escapeHtml } from './escape-html.js';

/** Backtick code spans, the one bit of markup core's texts use (`confirm 1234`). */
function withCodeSpans(escaped: string): string {
  return escaped.replace(/`([^`\n]+)`/g, '<code>$1</code>');
}

/**
 * Escapes a text and renders its code spans and `<@userId>` mentions. Mentions are cut out
 * before escaping, so only the listed people become highlighted names; any other `<@…>`
 * stays literal text.
 */
export function renderInline(text: string, mentions: readonly Mention[] = []): string {
  const names = new Map(mentions.map((mention) => [mention.userId, mention.displayName]));
  if (names.size === 0) return withCodeSpans(escapeHtml(text));
  return text
    .split(/(<@[^>\s]+>)/)
    .map((part) => {
      const name = /^<@([^>\s]+)>$/.exec(part)?.[1];
      const displayName = name === undefined ? undefined : names.get(name);
      return displayName === undefined ? withCodeSpans(escapeHtml(part)) : `<span class="mention">@${escapeHtml(displayName)}</span>`;
    })
    .join('');
}
