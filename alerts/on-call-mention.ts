import type { Mention, OpsbotConfig, Platform } from '../core/index.js';

/** Whom Escalate names in a thread: the text to lead its note with, and the mentions that text holds. */
export interface OnCallMention {
  text: string;
  mentions: Mention[];
  /** How the person who clicked is told whom they escalated to. */
  label: string;
}

/**
 * The on-call for a thread on `platform`. In Teams only a mention entity notifies anyone, so
 * `alerts.onCallTeams` becomes a `<@id>` mention there; everywhere else (and in Teams without it)
 * `alerts.onCall` is written as it is configured, e.g. Slack's `<!subteam^S0123>`.
 */
export function onCallMention(alerts: OpsbotConfig['alerts'], platform: Platform): OnCallMention | undefined {
  const teams = alerts?.onCallTeams;
  if (platform === 'teams' && teams) {
    return { text: `<@${teams.id}>`, mentions: [{ userId: teams.id, displayName: teams.name }], label: `@${teams.name}` };
  }
  return alerts?.onCall ? { text: alerts.onCall, mentions: [], label: alerts.onCall } : undefined;
}
