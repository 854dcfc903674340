import type { Action } from '../actions/action.schema.js';
import { truncateForAudit } from '../audit/audit-chain.js';
import type { AuditEntry, AuditOutcome } from '../audit/audit-record.js';
import type { IncomingCommand } from '../chat/chat.port.js';

/** An audit entry for something a person asked, with who, where and what they typed. */
export function auditEntryFor(
  command: IncomingCommand,
  outcome: AuditOutcome,
  extra: { action?: Action; jobId?: string; detail?: string; durationMs?: number } = {},
): AuditEntry {
  return {
    platform: command.identity.platform,
    workspace: command.identity.workspace,
    userId: command.identity.userId,
    userName: command.identity.displayName,
    channelId: command.conversation.channelId,
    threadId: command.conversation.threadId,
    text: truncateForAudit(command.text),
    action: extra.action?.action,
    args: extra.action ? (extra.action.args as Record<string, unknown>) : undefined,
    outcome,
    jobId: extra.jobId,
    durationMs: extra.durationMs,
    detail: extra.detail,
  };
}
