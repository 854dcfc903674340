import { webLinkHref, type Link } from '../../../core/index.js';

/** Square brackets would open or close markdown link text, so labels and plain text get round ones. */
function withoutBrackets(text: string): string {
  return text.replace(/\[/g, '(').replace(/\]/g, ')');
}

/**
 * A link as TextBlock markdown, `[label](url)`. The parser has already percent-encoded spaces
 * and `<>`; parentheses are too, since `)` would end the URL early. A URL that is not http(s)
 * stays text, with its brackets neutralised so it cannot spell a markdown link itself.
 */
export function markdownLink(link: Link): string {
  const href = webLinkHref(link.url);
  if (href === undefined) return withoutBrackets(`${link.label}: ${link.url}`);
  const label = withoutBrackets(link.label.trim() || href);
  return `[${label}](${href.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}
