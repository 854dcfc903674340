import { webLinkHref, type Link } from '../../core/index.js';
import { escapeMrkdwn } from './mrkdwn.js';

/**
 * A link as mrkdwn: `<url|label>` with `&`, `<` and `>` as entities, as Slack's formatting rules
 * ask. Slack ends the URL at the first `|`, so one in the URL is percent-encoded and one in the
 * label becomes a look-alike (mrkdwn has no escape for it). A URL that is not http(s) stays text.
 */
export function mrkdwnLink(link: Link): string {
  const href = webLinkHref(link.url);
  if (href === undefined) return escapeMrkdwn(`${link.label}: ${link.url}`);
  const label = link.label.trim() || href;
  return `<${escapeMrkdwn(href.replace(/\|/g, '%7C'))}|${escapeMrkdwn(label.replace(/\|/g, '\uFF5C'))}>`;
}
