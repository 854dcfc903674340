import type { ActionOf } from '../actions/action.schema.js';
import type { AuditLog } from '../audit/audit-log.port.js';
import type { Message } from '../messages/message.js';

export async function auditReply(audit: AuditLog, args: ActionOf<'audit'>['args']): Promise<Message> {
  if (args.verify) {
    const result = await audit.verify();
    const text = result.ok
      ? `Audit log verified: ${result.checked} records, the hash chain is intact.`
      : `Audit log verification FAILED at record ${result.firstBadSeq}: ${result.reason}.`;
    return { text, tone: result.ok ? 'success' : 'error', blocks: [{ type: 'text', text }] };
  }
  const records = await audit.query({ user: args.user, action: args.action, model: args.model, since: args.since, limit: args.limit ?? 20 });
  if (records.length === 0) {
    const text = 'No audit entries match.';
    return { text, tone: 'info', blocks: [{ type: 'text', text }] };
  }
  const rows = records.map((r) => [
    String(r.seq),
    r.at.replace('T', ' ').slice(0, 19),
    r.userName,
    r.action ?? '-',
    r.outcome,
    r.jobId ?? '',
    (r.detail ?? r.text ?? '').slice(0, 80),
  ]);
  const text = `Audit (newest first):\n${rows.map((r) => `  #${r[0]} ${r[1]} ${r[2]} ${r[3]} ${r[4]} ${r[5]} ${r[6]}`.trimEnd()).join('\n')}`;
  return {
    text,
    tone: 'info',
    blocks: [{ type: 'table', columns: ['#', 'when (UTC)', 'who', 'action', 'outcome', 'job', 'detail'], rows }],
  };
}
