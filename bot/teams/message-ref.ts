import { z } from 'zod';

/**
 * What ChatPort.post returns for Teams: the activity id, plus the serviceUrl it was sent
 * through, so the message can still be updated after a restart forgot the conversation.
 */
const messageRefSchema = z.object({ id: z.string().min(1), serviceUrl: z.url({ protocol: /^https?$/ }) });

export type TeamsMessageRef = z.infer<typeof messageRefSchema>;

export function encodeMessageRef(ref: TeamsMessageRef): string {
  return JSON.stringify({ id: ref.id, serviceUrl: ref.serviceUrl });
}

export function decodeMessageRef(ref: string): TeamsMessageRef {
  let parsed: unknown;
  try {
    parsed = JSON.parse(ref);
  } catch {
    parsed = undefined;
  }
  const result = messageRefSchema.safeParse(parsed);
  if (!result.success) throw new Error(`not a Teams message reference: ${ref.slice(0, 80)}`);
  return result.data;
}
