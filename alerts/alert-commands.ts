import type { AlertActor, AlertCommandAnswer, AlertCommandHandler, AlertGroup, IncomingCommand, Logger, Mention, OpsbotConfig, StateStore } from '../core/index.js';
import { ALERT_COMMAND, EMBEDDED_EVALUATOR_RECEIVER, identityKey, isOpsbotError, replicaBounds, rolesOf, userFacingMessage } from '../core/index.js';
import type { AlertmanagerClient } from './alertmanager-client.js';
import type { AlertTriage } from './alert-triage.js';
import { onCallMention } from './on-call-mention.js';
import { alertName, isSilenced, noteMessage } from './triage-message.js';
import { updateGroup } from './update-group.js';

/** The RBAC pseudo-action that Acknowledge, Silence, Expire silence and Escalate need (deployer and admin by default). */
export const ALERTS_PERMISSION = 'alerts';

const SILENCE_HOURS = { '1h': 1, '4h': 4 } as const;

export interface AlertCommandsDeps {
  config: OpsbotConfig;
  store: Pick<StateStore, 'alertGroups' | 'blueGreen'>;
  triage: AlertTriage;
  /** Real Alertmanager silences; absent: opsbot silences (repeat pings muted). */
  alertmanager?: AlertmanagerClient;
  log: Logger;
  now?: () => Date;
}

/**
 * The triage thread's buttons. Each click is checked here (ack/silence/escalate need the `alerts`
 * permission; roll back and scale up become the usual `rollback`/`scale` commands, checked and
 * confirmed on the normal path), written with compare-and-set, and said in the thread.
 */
export class AlertCommands implements AlertCommandHandler {
  private readonly now: () => Date;

  constructor(private readonly deps: AlertCommandsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async answer(command: IncomingCommand): Promise<AlertCommandAnswer> {
    const match = ALERT_COMMAND.exec(command.text);
    if (!match) return refused('invalid', 'That is not an alert command.');
    const verb = match[1]!.toLowerCase();
    const id = match[2]!.toLowerCase();
    const group = await this.deps.store.alertGroups.get(id);
    if (!group) return refused('invalid', `There is no alert ${id}.`);
    const who = command.identity.displayName;
    if (verb !== 'rollback' && verb !== 'scale-up' && !this.mayTriage(command)) {
      const text = `${who} tried to ${verb === 'unsilence' ? 'expire the silence of' : verb} this alert but is not allowed (needs a role with the \`${ALERTS_PERMISSION}\` permission).`;
      await this.say(group, text, 'warning');
      return refused('denied', `You are not allowed to ${verb} alerts: ask an opsbot admin for a role with the \`${ALERTS_PERMISSION}\` permission (your id is ${identityKey(command.identity)}).`);
    }
    try {
      switch (verb) {
        case 'ack':
          return await this.acknowledge(group, command);
        case 'silence':
          return await this.silence(group, command, (match[3]?.toLowerCase() ?? '1h') as keyof typeof SILENCE_HOURS);
        case 'unsilence':
          return await this.unsilence(group, command);
        case 'escalate':
          return await this.escalate(group, command);
        case 'rollback':
          return await this.rollback(group, command);
        default:
          return await this.scaleUp(group, command);
      }
    } catch (error) {
      if (!isOpsbotError(error)) throw error;
      await this.say(group, `${who}'s ${verb} did not work: ${error.userMessage}`, 'error');
      return refused('failed', userFacingMessage(error));
    }
  }

  private mayTriage(command: IncomingCommand): boolean {
    const { rbac } = this.deps.config;
    return rolesOf(command.identity, rbac).some((name) => {
      const actions = rbac.roles[name]?.actions ?? [];
      return actions.includes('*') || actions.includes(ALERTS_PERMISSION);
    });
  }

  private actor(command: IncomingCommand): AlertActor {
    return { who: identityKey(command.identity), displayName: command.identity.displayName, at: this.now().toISOString() };
  }

  private async acknowledge(group: AlertGroup, command: IncomingCommand): Promise<AlertCommandAnswer> {
    const actor = this.actor(command);
    const saved = await updateGroup(this.deps.store.alertGroups, group.id, (current) =>
      current.acknowledged ? { result: current.acknowledged } : { patch: { acknowledged: actor }, result: actor },
    );
    const by = saved!.result;
    if (!saved!.changed) return done('completed', `Already acknowledged by ${by.displayName} at ${by.at}.`);
    await this.deps.triage.refresh(saved!.group);
    await this.say(saved!.group, `Acknowledged by ${actor.displayName}: repeat notifications are no longer posted here.`, 'info');
    return done('completed', `You acknowledged ${alertName(group)}.`);
  }

  private async silence(group: AlertGroup, command: IncomingCommand, duration: keyof typeof SILENCE_HOURS): Promise<AlertCommandAnswer> {
    const now = this.now();
    if (isSilenced(group, now)) return done('completed', `Already silenced until ${group.silence!.until} by ${group.silence!.displayName}.`);
    const until = new Date(now.getTime() + SILENCE_HOURS[duration] * 3_600_000);
    // opsbot's own evaluator's alerts never reach Alertmanager, so only an opsbot silence can mute them.
    const alertmanager = group.receiver === EMBEDDED_EVALUATOR_RECEIVER ? undefined : this.deps.alertmanager;
    let silenceId: string | undefined;
    if (alertmanager) {
      // The group's labels are what Alertmanager grouped on, so the silence covers exactly this group.
      const labels = Object.keys(group.groupLabels).length > 0 ? group.groupLabels : group.commonLabels;
      silenceId = await alertmanager.createSilence({
        labels,
        startsAt: now,
        endsAt: until,
        createdBy: `${command.identity.displayName} via opsbot`,
        comment: `Silenced from opsbot alert ${group.id} (${alertName(group)}) by ${identityKey(command.identity)} for ${duration}`,
      });
    }
    const silence = { ...this.actor(command), kind: silenceId ? ('alertmanager' as const) : ('opsbot' as const), silenceId, until: until.toISOString() };
    const saved = await updateGroup(this.deps.store.alertGroups, group.id, (current) =>
      isSilenced(current, now) ? { result: current.silence! } : { patch: { silence }, result: silence },
    );
    if (!saved!.changed) {
      // Someone else silenced it first: theirs stands, ours is taken back so only one silence exists.
      if (silenceId) await alertmanager!.expireSilence(silenceId).catch((error: unknown) => this.deps.log.warn({ err: error, silenceId }, 'could not expire a duplicate silence'));
      return done('completed', `Already silenced until ${saved!.result.until} by ${saved!.result.displayName}.`);
    }
    await this.deps.triage.refresh(saved!.group);
    const why = group.receiver === EMBEDDED_EVALUATOR_RECEIVER ? 'opsbot evaluates this rule itself' : 'no Alertmanager is configured';
    const where = silenceId ? `Alertmanager silence ${silenceId}` : `an opsbot silence (repeat notifications are not posted; ${why})`;
    await this.say(saved!.group, `Silenced for ${duration} by ${silence.displayName}, until ${silence.until}: ${where}.`, 'info');
    return done('completed', `You silenced ${alertName(group)} for ${duration}${silenceId ? ` (silence ${silenceId})` : ''}.`, silenceId ? `silence ${silenceId}` : 'opsbot silence');
  }

  private async unsilence(group: AlertGroup, command: IncomingCommand): Promise<AlertCommandAnswer> {
    const saved = await updateGroup(this.deps.store.alertGroups, group.id, (current) =>
      current.silence ? { patch: { silence: undefined }, result: current.silence } : { result: undefined },
    );
    const silence = saved!.result;
    if (!saved!.changed || !silence) return done('completed', `${alertName(group)} is not silenced.`);
    if (silence.silenceId && this.deps.alertmanager) {
      try {
        await this.deps.alertmanager.expireSilence(silence.silenceId);
      } catch (error) {
        // Put it back, so the thread does not claim a silence is gone that Alertmanager still applies.
        await updateGroup(this.deps.store.alertGroups, group.id, (current) => (current.silence ? { result: undefined } : { patch: { silence }, result: undefined }));
        throw error;
      }
    }
    await this.deps.triage.refresh(saved!.group);
    await this.say(saved!.group, `Silence expired by ${command.identity.displayName}${silence.silenceId ? ` (Alertmanager silence ${silence.silenceId})` : ''}.`, 'info');
    return done('completed', `You expired the silence on ${alertName(group)}.`, silence.silenceId ? `expired silence ${silence.silenceId}` : 'expired opsbot silence');
  }

  private async escalate(group: AlertGroup, command: IncomingCommand): Promise<AlertCommandAnswer> {
    const onCall = onCallMention(this.deps.config.alerts, group.conversation.platform);
    if (!onCall) return refused('invalid', 'No on-call group is configured (alerts.onCall, or alerts.onCallTeams for Teams), so there is no one to escalate to.');
    const actor = this.actor(command);
    const saved = await updateGroup(this.deps.store.alertGroups, group.id, () => ({ patch: { escalated: actor }, result: actor }));
    await this.deps.triage.refresh(saved!.group);
    await this.say(saved!.group, `${onCall.text}: ${actor.displayName} escalated ${alertName(group)} to you.`, 'warning', onCall.mentions);
    return done('completed', `You escalated ${alertName(group)} to ${onCall.label}.`);
  }

  private async rollback(group: AlertGroup, command: IncomingCommand): Promise<AlertCommandAnswer> {
    const target = deploymentOf(group);
    if (!target) return refused('invalid', 'This alert names no model and environment (labels model and env), so there is nothing to roll back.');
    await this.say(group, `${command.identity.displayName} asked to roll back ${target.model} in ${target.env}.`, 'warning');
    const then = `rollback ${target.model} in ${target.env}`;
    return { ...done('accepted', `Running \`${then}\`.`), then };
  }

  private async scaleUp(group: AlertGroup, command: IncomingCommand): Promise<AlertCommandAnswer> {
    const target = deploymentOf(group);
    if (!target) return refused('invalid', 'This alert names no model and environment (labels model and env), so there is nothing to scale.');
    const slot = await this.deps.store.blueGreen.slot(target.model, target.env);
    const scaling = slot?.live ? slot.colours[slot.live]?.scaling : undefined;
    if (!scaling) return refused('invalid', `${target.model} has nothing live in ${target.env} to scale.`);
    if (!('replicas' in scaling)) return refused('invalid', `${target.model} in ${target.env} autoscales between ${scaling.min} and ${scaling.max} replicas; change the range with \`scale ${target.model} in ${target.env} --min … --max …\`.`);
    const env = this.deps.config.environments.find((e) => e.name === target.env);
    const max = env ? replicaBounds(env, this.deps.config.limits).max : this.deps.config.limits.maxReplicas;
    if (scaling.replicas + 1 > max) return refused('invalid', `${target.model} in ${target.env} already runs ${scaling.replicas} replicas, the most ${target.env} allows (${max}).`);
    await this.say(group, `${command.identity.displayName} asked to scale ${target.model} in ${target.env} from ${scaling.replicas} to ${scaling.replicas + 1} replicas.`, 'info');
    const then = `scale ${target.model} in ${target.env} to ${scaling.replicas + 1}`;
    return { ...done('accepted', `Running \`${then}\`.`), then };
  }

  private async say(group: AlertGroup, text: string, tone: 'info' | 'warning' | 'error', mentions: Mention[] = []): Promise<void> {
    try {
      await this.deps.triage.note(group, noteMessage(text, tone, mentions));
    } catch (error) {
      this.deps.log.warn({ err: error, alert: group.id }, 'could not post in the alert thread');
    }
  }
}

function deploymentOf(group: AlertGroup): { model: string; env: string } | undefined {
  const model = group.deployment?.model ?? group.commonLabels.model;
  const env = group.deployment?.env ?? group.commonLabels.env;
  return model && env ? { model, env } : undefined;
}

function done(outcome: AlertCommandAnswer['outcome'], text: string, detail = text): AlertCommandAnswer {
  return { outcome, reply: noteMessage(text, 'info'), detail, private: true };
}

function refused(outcome: AlertCommandAnswer['outcome'], text: string): AlertCommandAnswer {
  return { outcome, reply: noteMessage(text, outcome === 'denied' || outcome === 'failed' ? 'error' : 'info'), detail: text, private: true };
}
