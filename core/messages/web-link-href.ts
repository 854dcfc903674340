/**
 * The address a link block's URL may be opened at: an absolute http(s) URL, normalised by the
 * WHATWG parser (spaces and quotes percent-encoded). Anything else (`javascript:`, `data:`, a
 * relative or malformed URL) is undefined, and renderers show it as plain text instead of a link.
 */
export function webLinkHref(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
}
