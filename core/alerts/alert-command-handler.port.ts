import type { AuditOutcome } from '../audit/audit-record.js';
import type { IncomingCommand } from '../chat/chat.port.js';
import type { Message } from '../messages/message.js';

/** What an alert button's command came to; the dispatcher audits it and answers the clicker. */
export interface AlertCommandAnswer {
  outcome: AuditOutcome;
  reply: Message;
  detail: string;
  /** The answer is for the clicker alone (what changed is already in the thread). */
  private?: boolean;
  /**
   * A command to run next through the normal path as the clicker (`rollback sentiment in prod`),
   * so its RBAC, confirmation and job are the usual ones.
   */
  then?: string;
}

/** Handles `alert <verb> <id>` (the triage thread's buttons); lives outside core (alerts/). */
export interface AlertCommandHandler {
  answer(command: IncomingCommand): Promise<AlertCommandAnswer>;
}
