/** Chat platforms opsbot speaks on. */
export type Platform = 'local' | 'slack' | 'teams';

/** Who sent a message: platform + workspace/tenant + user id is the stable key. */
export interface Identity {
  platform: Platform;
  /** Slack team id, Teams tenant id; empty for the local adapter. */
  workspace: string;
  userId: string;
  displayName: string;
}

/** Where a message came from, so replies and job progress go back to the same place. */
export interface ConversationRef {
  platform: Platform;
  workspace: string;
  channelId: string;
  /** The thread to reply in; absent for a top-level message. */
  threadId?: string;
}

/** The key RBAC role maps use: `local:alice`, `slack:T123:U456`, `teams:tenant:aad-id`. */
export function identityKey(identity: Identity): string {
  return identity.workspace
    ? `${identity.platform}:${identity.workspace}:${identity.userId}`
    : `${identity.platform}:${identity.userId}`;
}
