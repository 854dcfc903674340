/**
 * The reference opsbot keeps for a posted Slack message: `channel:ts`. A channel id
 * has no colon, so the first colon splits it; the pair is what chat.update needs.
 */
export interface SlackMessageRef {
  channel: string;
  ts: string;
}

const REF = /^([A-Z0-9]+):(\d+\.\d+)$/;

export function formatMessageRef(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/** The channel and ts of a ref opsbot made, or undefined for anything else. */
export function parseMessageRef(ref: string): SlackMessageRef | undefined {
  const match = REF.exec(ref);
  return match ? { channel: match[1] as string, ts: match[2] as string } : undefined;
}
