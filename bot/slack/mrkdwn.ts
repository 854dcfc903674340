import type { Mention } from '../../core/index.js';

/** A Slack user (U…) or enterprise user (W…) id, the only ids a `<@…>` mention may carry on Slack. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
/**
 * A user group mention as Slack writes it (`<!subteam^S0123>`, `<!subteam^S0123|@ml-oncall>`): the on-call
 * group Escalate pings (alerts.onCall). Kept live, or Slack shows the markup and notifies no one; anyone
 * who can write to opsbot can mention the group in that channel anyway. `<!channel>`/`<!here>` stay escaped.
 */
const USER_GROUP_MENTION = /^<!subteam\^S[A-Z0-9]{2,}(?:\|@[\w.-]{1,80})?>$/;
/** A user mention `<@id>` (group 1), or what may be a user group mention. */
const MENTION_TOKEN = /<@([^>\s]+)>|<!subteam\^[^>\s]*>/g;

/** `&`, `<` and `>` are control characters in Slack text; literal ones must be entities. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes text for mrkdwn but keeps `<@U…>` and user group mentions live; a mention of an id that is not a
 * Slack user (a local or Teams identity) becomes a plain `@name` instead of a broken link.
 */
export function mrkdwnWithMentions(text: string, mentions: readonly Mention[] = []): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(MENTION_TOKEN)) {
    const id = match[1] ?? '';
    out += escapeMrkdwn(text.slice(last, match.index));
    if (match[1] === undefined) {
      out += USER_GROUP_MENTION.test(match[0]) ? match[0] : escapeMrkdwn(match[0]);
    } else if (SLACK_USER_ID.test(id)) {
      out += `<@${id}>`;
    } else {
      const name = mentions.find((mention) => mention.userId === id)?.displayName ?? id;
      out += escapeMrkdwn(`@${name}`);
    }
    last = match.index + match[0].length;
  }
  return out + escapeMrkdwn(text.slice(last));
}

/**
 * Moves a cut position back so it does not split an entity (`&amp;`) or a `<…>` token,
 * either of which Slack would render as garbage or reject.
 */
function safeCut(text: string, at: number): number {
  if (at >= text.length) return text.length;
  let cut = at;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 10 && text.indexOf(';', amp) >= cut) cut = amp;
  const open = text.lastIndexOf('<', cut - 1);
  if (open >= 0 && open > cut - 40 && text.indexOf('>', open) >= cut) cut = open;
  return Math.max(0, cut);
}

/** Shortens text to `max` characters, saying how much was cut; plain text or mrkdwn. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = (more: number) => `… (truncated, ${more} more)`;
  // The note's own length depends on the count; one refinement settles it.
  let keep = max - note(text.length).length;
  if (keep < 1) return text.slice(0, Math.max(0, max - 1)) + '…';
  keep = safeCut(text, keep);
  return text.slice(0, keep) + note(text.length - keep);
}

/** Shortens a short label (button, option) with an ellipsis: no room for a note there. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Splits text into chunks of at most `max`, preferring line, then word boundaries. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = safeCut(rest, max);
    if (cut <= 0) cut = max;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}
