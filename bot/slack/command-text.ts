/**
 * Turns Slack's formatted message text back into the command a person typed: the bot's
 * mention removed, links and channel references unwrapped, entities decoded.
 * (Slack sends `&`, `<`, `>` as entities and wraps links as `<url|label>`.)
 */
export function commandFromSlackText(text: string, botUserId?: string): string {
  let result = text;
  if (botUserId) {
    result = result.replace(new RegExp(`<@${escapeRegExp(botUserId)}(\\|[^>]*)?>`, 'g'), ' ');
  } else {
    // Without the bot's id, the mention that addressed the bot is the leading one.
    result = result.replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>/, ' ');
  }
  result = result
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<#([A-Z0-9]+)>/g, '#$1')
    .replace(/<((?:https?|mailto):[^|>]+)(\|[^>]*)?>/g, '$1')
    .replace(/<!(here|channel|everyone)(\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\u00a0\s]+/g, ' ')
    .trim();
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
