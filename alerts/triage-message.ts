import type { AlertGroup, Button, Link, Mention, Message, MessageBlock, Tone } from '../core/index.js';

export function alertName(group: Pick<AlertGroup, 'commonLabels' | 'groupLabels'>): string {
  return group.commonLabels.alertname ?? group.groupLabels.alertname ?? 'Alert';
}

export function counts(group: Pick<AlertGroup, 'alerts'>): { firing: number; resolved: number } {
  const firing = group.alerts.filter((alert) => alert.status === 'firing').length;
  return { firing, resolved: group.alerts.length - firing };
}

function statusWord(group: AlertGroup): string {
  const { firing, resolved } = counts(group);
  if (group.status === 'resolved' || firing === 0) return 'Resolved';
  return resolved > 0 ? 'Partly resolved' : 'Firing';
}

function tone(group: AlertGroup): Tone {
  if (statusWord(group) === 'Resolved') return 'success';
  return group.commonLabels.severity === 'critical' ? 'error' : 'warning';
}

function where(group: AlertGroup): string {
  const model = group.commonLabels.model;
  const env = group.commonLabels.env;
  if (model && env) return ` — ${model} in ${env}`;
  return model ? ` — ${model}` : env ? ` — ${env}` : '';
}

/** The metric's value against its threshold, from the annotations (`value`, `threshold`) or the rule's description. */
function valueText(group: AlertGroup): string | undefined {
  const annotations = { ...group.commonAnnotations, ...(group.alerts.find((alert) => alert.status === 'firing')?.annotations ?? {}) };
  const value = annotations.value;
  const threshold = annotations.threshold ?? group.commonLabels.threshold;
  if (value && threshold) return `${value} (threshold ${threshold})`;
  if (value) return value;
  return annotations.description;
}

function deploymentText(group: AlertGroup): string | undefined {
  const d = group.deployment;
  if (!d) return undefined;
  if (d.version === undefined) return `${d.model} in ${d.env}: nothing live`;
  const promoted = d.promotedBy ? `, promoted by ${d.promotedBy}${d.promotedAt ? ` at ${d.promotedAt}` : ''}` : '';
  return `${d.model} v${d.version} (${d.colour ?? 'unknown colour'}) in ${d.env}${promoted}`;
}

export function isSilenced(group: AlertGroup, now: Date): boolean {
  return group.silence !== undefined && Date.parse(group.silence.until) > now.getTime();
}

/** The parent message: one per group, replaced in place on every change. */
export function parentMessage(group: AlertGroup, now: Date): Message {
  const name = alertName(group);
  const { firing, resolved } = counts(group);
  const status = statusWord(group);
  const text = `${status}: ${name}${where(group)} (${firing} firing, ${resolved} resolved)`;
  const fields: Array<{ label: string; value: string }> = [
    { label: 'Status', value: status },
    { label: 'Severity', value: group.commonLabels.severity ?? 'none' },
    { label: 'Alerts', value: `${firing} firing, ${resolved} resolved${group.truncatedAlerts > 0 ? `, ${group.truncatedAlerts} more not sent by Alertmanager` : ''}` },
    { label: 'First seen', value: group.firstSeen },
    { label: 'Last seen', value: group.lastSeen },
  ];
  const deployment = deploymentText(group);
  if (deployment) fields.push({ label: 'Live when it fired', value: deployment });
  const value = valueText(group);
  if (value) fields.push({ label: 'Value', value });
  if (group.acknowledged) fields.push({ label: 'Acknowledged', value: `by ${group.acknowledged.displayName} at ${group.acknowledged.at}` });
  if (group.silence && isSilenced(group, now)) {
    fields.push({ label: 'Silenced', value: `until ${group.silence.until} by ${group.silence.displayName}${group.silence.silenceId ? ` (Alertmanager silence ${group.silence.silenceId})` : ' (opsbot)'}` });
  }
  if (group.escalated) fields.push({ label: 'Escalated', value: `by ${group.escalated.displayName} at ${group.escalated.at}` });
  const summary = group.commonAnnotations.summary;
  const blocks: MessageBlock[] = [{ type: 'text', text: summary ? `${text}\n${summary}` : text }, { type: 'fields', fields }];
  const links: Link[] = [
    ...new Set(group.alerts.map((alert) => alert.generatorURL).filter((url): url is string => !!url)),
  ].slice(0, 3).map((url) => ({ label: 'source', url }));
  if (group.externalURL) links.push({ label: 'Alertmanager', url: group.externalURL });
  if (group.commonAnnotations.runbook_url) links.push({ label: 'runbook', url: group.commonAnnotations.runbook_url });
  if (links.length > 0) blocks.push({ type: 'links', links });
  if (status !== 'Resolved') blocks.push({ type: 'buttons', buttons: buttons(group, now) });
  else if (group.silence?.silenceId && isSilenced(group, now)) blocks.push({ type: 'buttons', buttons: [{ label: 'Expire silence', command: `alert unsilence ${group.id}` }] });
  return { text, tone: tone(group), blocks };
}

function buttons(group: AlertGroup, now: Date): Button[] {
  const list: Button[] = [];
  if (!group.acknowledged) list.push({ label: 'Acknowledge', command: `alert ack ${group.id}`, style: 'primary' });
  if (isSilenced(group, now)) list.push({ label: 'Expire silence', command: `alert unsilence ${group.id}` });
  else list.push({ label: 'Silence 1h', command: `alert silence ${group.id} 1h` }, { label: 'Silence 4h', command: `alert silence ${group.id} 4h` });
  if (group.deployment?.version !== undefined) {
    list.push({ label: 'Roll back', command: `alert rollback ${group.id}`, style: 'danger' }, { label: 'Scale up', command: `alert scale-up ${group.id}` });
  }
  if (!group.escalated) list.push({ label: 'Escalate', command: `alert escalate ${group.id}` });
  return list;
}

/** The first thread reply: every alert of the group with what sets it apart and its annotations. */
export function detailsMessage(group: AlertGroup): Message {
  const common = new Set(Object.keys(group.commonLabels));
  const rows = group.alerts.slice(0, 50).map((alert) => [
    alert.status,
    Object.entries(alert.labels).filter(([name]) => !common.has(name)).map(([name, value]) => `${name}=${value}`).join(', ') || '(common labels)',
    alert.annotations.value ?? alert.annotations.description ?? '',
    alert.startsAt,
  ]);
  const labels = Object.entries(group.commonLabels).map(([name, value]) => `${name}=${value}`).join(', ');
  const text = `Details: ${group.alerts.length} alert${group.alerts.length === 1 ? '' : 's'} in group ${alertName(group)} (labels ${labels || 'none'}).`;
  return { text, tone: 'info', blocks: [{ type: 'text', text }, { type: 'table', columns: ['status', 'labels', 'value', 'since'], rows }] };
}

/** A thread reply; a mention's `<@id>` becomes `@name` in the summary, which no platform renders mentions in. */
export function noteMessage(text: string, toneOf: Tone = 'info', mentions: Mention[] = []): Message {
  if (mentions.length === 0) return { text, tone: toneOf, blocks: [{ type: 'text', text }] };
  const summary = mentions.reduce((result, mention) => result.split(`<@${mention.userId}>`).join(`@${mention.displayName}`), text);
  return { text: summary, tone: toneOf, blocks: [{ type: 'text', text, mentions }] };
}
