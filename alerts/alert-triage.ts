import type { AlertGroup, AlertGroupPatch, AlertRoute, AlertSnapshot, ChatPort, LiveDeploymentAtFire, Logger, Message, StateStore } from '../core/index.js';
import { alertGroupId } from '../core/index.js';
import type { AlertmanagerWebhook } from './alertmanager-payload.js';
import { routeFor } from './route-alert.js';
import { threadOf } from './thread-of.js';
import { alertName, counts, detailsMessage, isSilenced, noteMessage, parentMessage } from './triage-message.js';
import { updateGroup } from './update-group.js';

export interface AlertTriageDeps {
  store: Pick<StateStore, 'alertGroups' | 'blueGreen'>;
  chat: ChatPort;
  routes: readonly AlertRoute[];
  log: Logger;
  now?: () => Date;
}

export type ReceiveResult = { routed: true; groupId: string; change: string } | { routed: false };

/** Alertmanager's "still firing" endsAt: the zero time. */
const ZERO_TIME = /^0001-01-01/;

/**
 * One triage thread per alert group: the first notification posts the parent (and the details as its
 * first reply); every later one updates the parent in place and says what changed in the thread.
 * Notifications of one group are handled one at a time in this process; the store's compare-and-set
 * covers other processes and the buttons.
 */
export class AlertTriage {
  private readonly now: () => Date;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: AlertTriageDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  receive(payload: AlertmanagerWebhook): Promise<ReceiveResult> {
    return this.inTurn(payload.groupKey, () => this.receiveNow(payload));
  }

  /**
   * Replaces the parent with the group's current state: read again from the store in the group's turn,
   * so a click's refresh that finishes after a notification's (an ack racing the resolve) cannot put
   * back the older state it was given.
   */
  refresh(group: AlertGroup): Promise<void> {
    return this.inTurn(group.groupKey, () => this.show(group.id));
  }

  /** Runs `work` after everything queued for this group in this process, one at a time. */
  private inTurn<T>(groupKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(groupKey) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(groupKey, next);
    void next.finally(() => {
      if (this.queues.get(groupKey) === next) this.queues.delete(groupKey);
    }).catch(() => undefined);
    return next;
  }

  /** The parent as the group is stored now (only ever called in the group's turn). */
  private async show(id: string): Promise<void> {
    const group = await this.deps.store.alertGroups.get(id);
    if (!group?.parentRef) return;
    await this.deps.chat.update(group.conversation, group.parentRef, parentMessage(group, this.now()));
  }

  /** A reply in the group's thread. */
  async note(group: AlertGroup, message: Message): Promise<void> {
    if (!group.parentRef) return;
    await this.deps.chat.post(threadOf(group.conversation, group.parentRef), message);
  }

  private async receiveNow(payload: AlertmanagerWebhook): Promise<ReceiveResult> {
    const { alertGroups } = this.deps.store;
    const id = alertGroupId(payload.groupKey);
    const existing = await alertGroups.getByGroupKey(payload.groupKey);
    if (existing) return this.receiveAgain(existing, payload);
    const conversation = routeFor(this.deps.routes, payload);
    if (!conversation) {
      this.deps.log.warn({ groupKey: payload.groupKey, labels: payload.commonLabels }, 'no alerts.routes entry matches this alert group; it is not posted');
      return { routed: false };
    }
    const at = this.now().toISOString();
    const created = await alertGroups.create({
      id,
      groupKey: payload.groupKey,
      receiver: payload.receiver,
      conversation,
      status: payload.status,
      groupLabels: payload.groupLabels,
      commonLabels: payload.commonLabels,
      commonAnnotations: payload.commonAnnotations,
      externalURL: payload.externalURL,
      truncatedAlerts: payload.truncatedAlerts,
      alerts: payload.alerts.map(snapshot),
      firstSeen: earliest(payload.alerts.map((alert) => alert.startsAt)) ?? at,
      lastSeen: at,
      deployment: await this.liveDeployment(payload.commonLabels),
    });
    // Another process created it between the read and the insert: it posts the parent.
    if (!created) return this.receiveAgain((await alertGroups.getByGroupKey(payload.groupKey))!, payload);
    const withParent = await this.postParent(created);
    await this.note(withParent, detailsMessage(withParent));
    return { routed: true, groupId: id, change: 'new' };
  }

  /** Posts the parent once and records its ref (a restart after a crash in between posts it then). */
  private async postParent(group: AlertGroup): Promise<AlertGroup> {
    const ref = await this.deps.chat.post(group.conversation, parentMessage(group, this.now()));
    const saved = await updateGroup(this.deps.store.alertGroups, group.id, (current) => ({ patch: current.parentRef ? undefined : { parentRef: ref }, result: undefined }));
    return saved?.group ?? { ...group, parentRef: ref };
  }

  private async receiveAgain(existing: AlertGroup, payload: AlertmanagerWebhook): Promise<ReceiveResult> {
    const at = this.now().toISOString();
    const refiredDeployment = existing.status === 'resolved' && payload.status === 'firing' ? await this.liveDeployment(payload.commonLabels) : undefined;
    const saved = await updateGroup(this.deps.store.alertGroups, existing.id, (group) => {
      const before = counts(group);
      const alerts = merge(group.alerts, payload.alerts.map(snapshot));
      const after = counts({ alerts });
      const refired = group.status === 'resolved' && payload.status === 'firing';
      const change = describeChange(group, payload.status, before, after, refired, alerts);
      const patch: AlertGroupPatch = {
        status: payload.status,
        commonLabels: payload.commonLabels,
        commonAnnotations: payload.commonAnnotations,
        externalURL: payload.externalURL,
        truncatedAlerts: payload.truncatedAlerts,
        alerts,
        lastSeen: at,
      };
      // Firing again after resolving is a new incident in the same thread: who acknowledged the old one does not carry over.
      if (refired) Object.assign(patch, { acknowledged: undefined, escalated: undefined, deployment: refiredDeployment ?? group.deployment });
      return { patch, result: change };
    });
    if (!saved) return { routed: false };
    let group = saved.group;
    if (!group.parentRef) group = await this.postParent(group);
    // Already in this group's turn: refresh() would wait for this very notification.
    else await this.show(group.id);
    const change = saved.result;
    // A repeat of the same state is the ping that Acknowledge and Silence stop.
    const muted = change.repeat && (group.acknowledged !== undefined || isSilenced(group, this.now()));
    if (!muted) await this.note(group, noteMessage(change.text, change.tone));
    return { routed: true, groupId: group.id, change: change.repeat ? 'repeat' : change.kind };
  }

  private async liveDeployment(labels: Record<string, string>): Promise<LiveDeploymentAtFire | undefined> {
    const { model, env } = labels;
    if (!model || !env) return undefined;
    try {
      const slot = await this.deps.store.blueGreen.slot(model, env);
      const colour = slot?.live;
      const version = colour ? slot.colours[colour]?.version : undefined;
      if (!colour || version === undefined) return { model, env };
      const [deployment] = await this.deps.store.blueGreen.list({ model, env, phases: ['live'], limit: 1 });
      const promoted = deployment && deployment.version === version ? { promotedBy: deployment.decidedBy, promotedAt: deployment.updatedAt } : {};
      return { model, env, version, colour, ...promoted };
    } catch (error) {
      this.deps.log.warn({ err: error, model, env }, 'could not read the live deployment for an alert');
      return { model, env };
    }
  }
}

function snapshot(alert: AlertmanagerWebhook['alerts'][number]): AlertSnapshot {
  return {
    fingerprint: alert.fingerprint,
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt && !ZERO_TIME.test(alert.endsAt) ? alert.endsAt : undefined,
    generatorURL: alert.generatorURL || undefined,
  };
}

/** Alerts by fingerprint: the notification's state replaces the stored one; alerts it does not name are kept as they were. */
function merge(stored: readonly AlertSnapshot[], incoming: readonly AlertSnapshot[]): AlertSnapshot[] {
  const byFingerprint = new Map(stored.map((alert) => [alert.fingerprint, alert]));
  for (const alert of incoming) byFingerprint.set(alert.fingerprint, alert);
  return [...byFingerprint.values()].slice(0, 1000);
}

function earliest(times: string[]): string | undefined {
  return times.filter((t) => !ZERO_TIME.test(t)).sort()[0];
}

function describeChange(
  group: AlertGroup,
  status: 'firing' | 'resolved',
  before: { firing: number; resolved: number },
  after: { firing: number; resolved: number },
  refired: boolean,
  alerts: AlertSnapshot[],
): { kind: string; text: string; tone: Message['tone']; repeat: boolean } {
  const name = alertName(group);
  if (status === 'resolved' || after.firing === 0) {
    if (group.status === 'resolved') return { kind: 'repeat', text: `${name} is still resolved.`, tone: 'success', repeat: true };
    return { kind: 'resolved', text: `Resolved: all ${alerts.length} alert${alerts.length === 1 ? '' : 's'} of ${name} have resolved.`, tone: 'success' , repeat: false };
  }
  if (refired) return { kind: 'refired', text: `Firing again: ${after.firing} alert${after.firing === 1 ? '' : 's'} of ${name}.`, tone: 'error', repeat: false };
  if (after.firing !== before.firing || after.resolved !== before.resolved) {
    const kind = after.resolved > before.resolved ? 'partly_resolved' : 'changed';
    return { kind, text: `Now ${after.firing} firing and ${after.resolved} resolved (was ${before.firing} firing, ${before.resolved} resolved).`, tone: 'warning', repeat: false };
  }
  return { kind: 'repeat', text: `Still firing: ${after.firing} alert${after.firing === 1 ? '' : 's'} of ${name} (repeat notification).`, tone: 'warning', repeat: true };
}
