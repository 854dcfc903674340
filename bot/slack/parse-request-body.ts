export type ParsedBody = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

function asObject(value: unknown, what: string): ParsedBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: `${what} is not a JSON object` };
  return { ok: true, body: value as Record<string, unknown> };
}

function parseJson(text: string, what: string): ParsedBody {
  try {
    return asObject(JSON.parse(text), what);
  } catch {
    return { ok: false, reason: `${what} is not valid JSON` };
  }
}

/**
 * Decodes a request the way Slack sends it: Events API as JSON; slash commands as a
 * form; interactivity as a form whose `payload` field holds JSON.
 */
export function parseRequestBody(rawBody: Buffer, contentType: string | undefined): ParsedBody {
  const text = rawBody.toString('utf8');
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || (type === '' && text.trimStart().startsWith('{'))) return parseJson(text, 'body');
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    const form = new URLSearchParams(text);
    const payload = form.get('payload');
    if (payload !== null) return parseJson(payload, 'the payload field');
    return { ok: true, body: Object.fromEntries(form) };
  }
  return { ok: false, reason: `unsupported content type ${type}` };
}
