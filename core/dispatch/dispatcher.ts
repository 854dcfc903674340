import { confirmationReason } from '../actions/action-catalog.js';
import { isJobAction, type Action, type JobAction } from '../actions/action.schema.js';
import type { AuditOutcome } from '../audit/audit-record.js';
import type { ChatPort, IncomingCommand } from '../chat/chat.port.js';
import type { OpsbotConfig } from '../config/config.schema.js';
import { isOpsbotError, userFacingMessage } from '../errors.js';
import type { Logger } from '../logger.port.js';
import { NO_METRICS, type Metrics } from '../metrics/metrics.port.js';
import type { Message } from '../messages/message.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { newJobId } from '../queue/new-job-id.js';
import type { JobRecord } from '../store/job-store.port.js';
import type { StateStore } from '../store/state-store.port.js';
import { authorize, rolesAllow, rolesOf } from '../rbac/authorize.js';
import { actionLimitsFrom } from '../actions/action-limits.js';
import { auditEntryFor } from './audit-entry-for.js';
import { answerApproval } from './approval-reply.js';
import type { BlueGreenDeployer } from '../deployments/blue-green-deployer.js';
import { auditReply } from './audit-reply.js';
import { cancelJob } from './cancel-job.js';
import { curveReply } from './curve-reply.js';
import type { ChartRenderer } from '../charts/chart-renderer.port.js';
import type { CommandInterpreter, Interpretation } from './command-interpreter.port.js';
import { identityKey, type ConversationRef } from '../identity.js';
import type { DatasetCheck } from './dataset-check.port.js';
import { helpReply } from './help-reply.js';
import { describeJobAction, jobMessage } from './job-message.js';
import { PendingConfirmations, type ConfirmableAction, type PendingConfirmation } from './pending-confirmations.js';
import { resolveJobAction } from './resolve-job-action.js';
import { statusReply } from './status-reply.js';
import { deploymentStatusReply } from './deployment-status-reply.js';
import type { AlertCommandHandler } from '../alerts/alert-command-handler.port.js';
import { ALERT_COMMAND } from '../alerts/alert-group-id.js';

export interface DispatcherDeps {
  config: OpsbotConfig;
  store: StateStore;
  queue: JobQueue;
  chat: ChatPort;
  interpret: CommandInterpreter;
  log: Logger;
  /** Renders training curves and confusion matrices; without it, `curve` explains it is unavailable. */
  charts?: ChartRenderer;
  confirmations?: PendingConfirmations;
  /** Refuses a dataset the worker could not read before its job is queued; absent where the bot cannot see the worker's files. */
  datasets?: DatasetCheck;
  /** Deletes what a job cancelled off the queue left on disk (a tune's trials), when the queue had lost it. */
  discardJobFiles?: (job: JobRecord) => Promise<void>;
  /** Takes Promote/Reject votes; absent in a process that serves no deployments. */
  deployer?: BlueGreenDeployer;
  /** Counts commands, their latency and audit records; absent: nothing is counted. */
  metrics?: Metrics;
  /** The alert triage thread's buttons (`alert ack a-…`); absent: no alert receiver. */
  alerts?: AlertCommandHandler;
}

export interface DispatchResult {
  outcome: AuditOutcome;
  reply: Message;
  jobId?: string;
  /** The code a destructive action waits on (`confirm <token>`). */
  confirmationToken?: string;
  /** The reply is for the sender alone (a refused approval click). */
  private?: boolean;
}

// Any code-like word: a wrong or expired code is answered as such, not read as another command.
const CONFIRMATION_REPLY = /^\s*(confirm|dismiss)\s+([a-z0-9]{1,20})\s*$/i;
/** The approval card's buttons: `approve d-4f9k2a7q`, `reject d-4f9k2a7q`. */
const APPROVAL_REPLY = /^\s*(approve|reject)\s+(d-[0-9a-z]{6,12})\s*$/i;

/**
 * The one path every command takes, whatever platform it came from:
 * interpret → authorize → check against state → confirm if destructive → run or enqueue,
 * with an audit record for each attempt and a reply in the conversation.
 */
export class Dispatcher {
  private readonly confirmations: PendingConfirmations;
  private readonly metrics: Metrics;
  /** The action each command's audit record named, for its metrics label (weak: nothing outlives the command). */
  private readonly auditedAction = new WeakMap<IncomingCommand, string>();

  constructor(private readonly deps: DispatcherDeps) {
    this.confirmations = deps.confirmations ?? new PendingConfirmations();
    this.metrics = deps.metrics ?? NO_METRICS;
  }

  async handle(command: IncomingCommand): Promise<DispatchResult> {
    const started = performance.now();
    const result = await this.handleCommand(command);
    const action = this.auditedAction.get(command) ?? commandKind(command.text);
    this.metrics.increment('commands_total', { action, outcome: result.outcome });
    this.metrics.observe('command_duration_seconds', { action }, (performance.now() - started) / 1000);
    return result;
  }

  private async handleCommand(command: IncomingCommand): Promise<DispatchResult> {
    let result: DispatchResult;
    try {
      result = await this.process(command);
    } catch (error) {
      result = await this.failure(command, error);
    }
    const answeredPrivately = result.private === true && command.respondPrivately !== undefined && (await this.answeredPrivately(command, result.reply));
    if (!answeredPrivately && (!result.jobId || result.outcome !== 'accepted')) {
      const ref = await this.reply(command, result.reply);
      if (ref && result.confirmationToken) this.confirmations.attachPosted(result.confirmationToken, ref, result.reply);
    }
    return result;
  }

  private async process(command: IncomingCommand): Promise<DispatchResult> {
    const confirmation = CONFIRMATION_REPLY.exec(command.text);
    if (confirmation) return this.answerConfirmation(command, confirmation[1]!.toLowerCase(), confirmation[2]!);
    const approval = APPROVAL_REPLY.exec(command.text);
    if (approval) {
      const answer = await answerApproval(approval[1]!.toLowerCase() as 'approve' | 'reject', approval[2]!.toLowerCase(), command.identity, this.deps);
      await this.audit(command, answer.outcome, { detail: answer.detail });
      return { outcome: answer.outcome, reply: answer.reply, private: answer.private };
    }
    if (this.deps.alerts && ALERT_COMMAND.test(command.text)) {
      const answer = await this.deps.alerts.answer(command);
      await this.audit(command, answer.outcome, { detail: answer.detail });
      // Roll back and scale up go through the normal path as the clicker: their RBAC, confirmation and job.
      if (answer.then) return this.process({ ...command, text: answer.then });
      return { outcome: answer.outcome, reply: answer.reply, private: answer.private };
    }

    const knownModels = await this.deps.store.registry.listModels();
    const interpretation = await this.deps.interpret(command.text, knownModels, { thread: threadKey(command.conversation), userId: identityKey(command.identity) });
    if (!interpretation.ok) return this.notAnAction(command, interpretation);
    const action = interpretation.action;
    try {
      authorize(command.identity, action, this.deps.config.rbac);
    } catch (error) {
      await this.audit(command, 'denied', { action, detail: userFacingMessage(error) });
      throw new AuditedError(error);
    }
    // What was understood from someone's words runs only once they saw the exact command and confirmed it.
    const understoodAs = interpretation.understoodAs;
    if (understoodAs && action.action === 'cancel') return this.askConfirmation(command, action, understoodReason(understoodAs));
    if (!isJobAction(action)) return this.runImmediate(command, action);

    const resolved = await this.resolve(command, action);
    const reason = understoodAs && DESTRUCTIVE.has(action.action) ? understoodReason(understoodAs) : confirmationReason(resolved, this.deps.config.environments);
    if (reason) return this.askConfirmation(command, resolved, reason);
    return this.enqueue(command, resolved);
  }

  /** A question back, a pointer to `help`, a dropped half-built request, or what is wrong with the command. */
  private async notAnAction(command: IncomingCommand, interpretation: Extract<Interpretation, { ok: false }>): Promise<DispatchResult> {
    switch (interpretation.kind) {
      case 'clarify': {
        await this.audit(command, 'clarification_requested', { detail: interpretation.error });
        const text = interpretation.error;
        return {
          outcome: 'clarification_requested',
          reply: { text, tone: 'info', blocks: [{ type: 'text', text }, { type: 'buttons', buttons: interpretation.choices.map((c) => ({ label: c.label, command: c.command })) }] },
        };
      }
      case 'none':
      case 'dropped':
        await this.audit(command, 'invalid', { detail: interpretation.kind === 'none' ? 'not a request opsbot handles' : 'dropped a half-built request' });
        return { outcome: 'invalid', reply: { text: interpretation.error, tone: 'info', blocks: [{ type: 'text', text: interpretation.error }] } };
      default:
        await this.audit(command, 'invalid', { detail: interpretation.error });
        return { outcome: 'invalid', reply: errorMessage(interpretation.error) };
    }
  }

  private async resolve(command: IncomingCommand, action: JobAction): Promise<JobAction> {
    try {
      return await resolveJobAction(action, this.deps.store, { config: this.deps.config, datasets: this.deps.datasets });
    } catch (error) {
      if (isOpsbotError(error)) {
        await this.audit(command, 'invalid', { action, detail: error.userMessage });
        throw new AuditedError(error);
      }
      throw error;
    }
  }

  private async runImmediate(command: IncomingCommand, action: Exclude<Action, JobAction>): Promise<DispatchResult> {
    const { store } = this.deps;
    let reply: Message;
    switch (action.action) {
      case 'help':
        reply = helpReply(action.args.topic, {
          limits: actionLimitsFrom(this.deps.config),
          allowed: (name) => rolesAllow(rolesOf(command.identity, this.deps.config.rbac), name, this.deps.config.rbac),
        });
        break;
      case 'status':
        reply = action.args.model
          ? await deploymentStatusReply(action.args.model, store, this.deps.deployer, this.deps.config.environments.map((e) => e.name))
          : await statusReply(store.jobs, action.args.jobId, this.deps.queue);
        break;
      case 'audit':
        reply = await auditReply(store.audit, action.args);
        break;
      case 'cancel':
        reply = await cancelJob(action.args.jobId, command, this.deps);
        break;
      case 'curve':
        reply = await curveReply(store.jobs, action.args.jobId, this.deps.charts);
        break;
    }
    await this.audit(command, 'completed', { action, jobId: 'jobId' in action.args ? action.args.jobId : undefined });
    return { outcome: 'completed', reply };
  }

  private async askConfirmation(command: IncomingCommand, action: ConfirmableAction, reason: string): Promise<DispatchResult> {
    const pending = this.confirmations.add(action, command);
    if (pending === 'limit') {
      const waiting = this.confirmations.waitingFor(command);
      const text = `You already have ${waiting.length} requests waiting for confirmation (${waiting.map((code) => `\`${code}\``).join(', ')}): confirm or dismiss one of them, or send this again once one expires (after ${this.confirmations.ttlMinutes} minutes).`;
      await this.audit(command, 'invalid', { action, detail: text });
      return { outcome: 'invalid', reply: errorMessage(text) };
    }
    await this.audit(command, 'confirmation_requested', { action, detail: reason });
    const what = describeConfirmable(action);
    const text = `This will ${what}: ${reason}. Reply \`confirm ${pending.token}\` within ${this.confirmations.ttlMinutes} minutes to go ahead, or \`dismiss ${pending.token}\`.`;
    return {
      outcome: 'confirmation_requested',
      confirmationToken: pending.token,
      reply: {
        text,
        tone: 'warning',
        blocks: [
          { type: 'text', text },
          {
            type: 'buttons',
            buttons: [
              { label: `Yes, ${action.action}`, command: `confirm ${pending.token}`, style: 'danger' },
              { label: 'No', command: `dismiss ${pending.token}` },
            ],
          },
        ],
      },
    };
  }

  private async answerConfirmation(command: IncomingCommand, verb: string, token: string): Promise<DispatchResult> {
    const pending = this.confirmations.take(token, command);
    if (pending === 'unknown') {
      const text = `There is no pending request ${token} (requests expire after ${this.confirmations.ttlMinutes} minutes). Send the command again.`;
      await this.audit(command, 'invalid', { detail: text });
      return { outcome: 'invalid', reply: errorMessage(text) };
    }
    if (pending === 'not-yours') {
      const text = `Request ${token} was made by someone else; only they can confirm or dismiss it.`;
      await this.audit(command, 'denied', { detail: text });
      return { outcome: 'denied', reply: errorMessage(text) };
    }
    await this.closeQuestion(pending, `${verb === 'dismiss' ? 'Dismissed' : 'Confirmed'} by ${command.identity.displayName}.`);
    if (verb === 'dismiss') {
      await this.audit(command, 'cancelled', { action: pending.action, detail: `dismissed request ${token}` });
      const text = `Dismissed: ${describeConfirmable(pending.action)} will not run.`;
      return { outcome: 'cancelled', reply: { text, tone: 'info', blocks: [{ type: 'text', text }] } };
    }
    // Permissions and state may have changed while the request waited.
    authorize(command.identity, pending.action, this.deps.config.rbac);
    if (pending.action.action === 'cancel') return this.runImmediate(pending.command, pending.action);
    const resolved = await this.resolve(command, pending.action);
    return this.enqueue({ ...pending.command, text: `${pending.command.text} (confirmed with ${token})` }, resolved);
  }

  private async enqueue(command: IncomingCommand, action: JobAction): Promise<DispatchResult> {
    const { store, queue, chat } = this.deps;
    const jobId = newJobId();
    const job = await store.jobs.create({
      id: jobId,
      kind: action.action,
      args: action.args as Record<string, unknown>,
      requestedBy: command.identity,
      conversation: command.conversation,
      text: command.text,
    });
    const reply = jobMessage(job);
    try {
      await store.jobs.setReplyRef(jobId, await chat.post(command.conversation, reply));
    } catch (error) {
      this.deps.log.warn({ err: error, jobId }, 'could not post the job message; progress will be posted as new messages');
    }
    await this.audit(command, 'accepted', { action, jobId });
    try {
      await queue.enqueue({ jobId, action, requestedBy: command.identity, conversation: command.conversation });
    } catch (error) {
      return this.notStarted(command, action, jobId, error);
    }
    return { outcome: 'accepted', reply, jobId };
  }

  /**
   * The queue refused a job whose record and message already exist (they do before it
   * is queued, so a fast worker finds them): the record is finished as failed and the
   * message says why. A queue that rejects the job itself (more GPUs than the machine
   * has, say) explains in its own words; anything else is an outage.
   */
  private async notStarted(command: IncomingCommand, action: JobAction, jobId: string, error: unknown): Promise<DispatchResult> {
    const { store, chat } = this.deps;
    const rejected = isOpsbotError(error);
    if (!rejected) this.deps.log.error({ err: error, jobId }, 'enqueue failed');
    const detail = rejected ? error.userMessage : 'the job queue is unavailable, so the job was not started; try again in a minute';
    const outcome: AuditOutcome = rejected ? 'invalid' : 'failed';
    await store.jobs.finish(jobId, { status: 'failed', error: `Not started: ${detail}.` });
    await this.audit(command, outcome, { action, jobId, detail });
    const failed = await store.jobs.get(jobId);
    const ref = failed?.replyRef;
    if (failed && ref) await chat.update(command.conversation, ref, jobMessage(failed));
    return { outcome, reply: errorMessage(`Job ${jobId} was not started: ${detail}.`), jobId };
  }

  private async failure(command: IncomingCommand, error: unknown): Promise<DispatchResult> {
    const cause = error instanceof AuditedError ? error.cause : error;
    const outcome: AuditOutcome = isOpsbotError(cause) ? (cause.code === 'permission_denied' ? 'denied' : 'invalid') : 'failed';
    if (!isOpsbotError(cause)) this.deps.log.error({ err: cause, text: command.text.slice(0, 200) }, 'command failed');
    if (!(error instanceof AuditedError)) {
      await this.audit(command, outcome, { detail: isOpsbotError(cause) ? cause.userMessage : 'internal error (see the opsbot log)' }).catch(
        (auditError: unknown) => this.deps.log.error({ err: auditError }, 'audit append failed'),
      );
    }
    return { outcome, reply: errorMessage(userFacingMessage(cause)) };
  }

  /** False when the platform could not answer privately (an ephemeral refused): the answer is then posted. */
  private async answeredPrivately(command: IncomingCommand, message: Message): Promise<boolean> {
    try {
      await command.respondPrivately?.(message);
      return true;
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not answer privately; answering in the conversation');
      return false;
    }
  }

  private async reply(command: IncomingCommand, message: Message): Promise<string | undefined> {
    try {
      return await this.deps.chat.post(command.conversation, message);
    } catch (error) {
      this.deps.log.error({ err: error }, 'could not post a reply');
      return undefined;
    }
  }

  /** Replaces an answered question's buttons with who answered, so nobody clicks them again. */
  private async closeQuestion(pending: PendingConfirmation, answer: string): Promise<void> {
    if (!pending.posted) return;
    const { ref, message } = pending.posted;
    const blocks = message.blocks.filter((block) => block.type !== 'buttons');
    try {
      await this.deps.chat.update(pending.command.conversation, ref, { ...message, blocks: [...blocks, { type: 'context', text: answer }] });
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not update the answered question');
    }
  }

  private async audit(command: IncomingCommand, outcome: AuditOutcome, extra: Parameters<typeof auditEntryFor>[2]): Promise<void> {
    await this.deps.store.audit.append(auditEntryFor(command, outcome, extra));
    // The single audit point: every record the dispatcher writes is counted here.
    this.metrics.increment('audit_records_appended_total', { outcome });
    if (extra?.action) this.auditedAction.set(command, extra.action.action);
  }
}

/** Marks an error whose audit record has already been written, so it is not written twice. */
class AuditedError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function describeConfirmable(action: ConfirmableAction): string {
  return action.action === 'cancel' ? `cancel job ${action.args.jobId}` : describeJobAction({ kind: action.action, args: action.args });
}

/** Actions that change what runs or serves: understood from natural language, they are shown back and confirmed first. */
const DESTRUCTIVE: ReadonlySet<string> = new Set(['deploy', 'rollback', 'scale', 'cancel', 'delete', 'prune']);

function understoodReason(command: string): string {
  return `I understood your words as \`${command}\``;
}

/**
 * One open clarifying question per thread (per channel for top-level messages). A Teams
 * conversation id already names its thread (`…;messageid=<root>`, or the 1:1 chat), and its
 * threadId is only the message a reply answers, different for each message.
 */
function threadKey(conversation: ConversationRef): string {
  const thread = conversation.platform === 'teams' ? '' : (conversation.threadId ?? '');
  return [conversation.platform, conversation.workspace, conversation.channelId, thread].join('|');
}

/** A command that named no action (a confirmation, an approval click, words not understood), as a bounded label. */
function commandKind(text: string): string {
  if (CONFIRMATION_REPLY.test(text)) return 'confirmation';
  if (APPROVAL_REPLY.test(text)) return 'approval';
  if (ALERT_COMMAND.test(text)) return 'alert';
  return 'none';
}

function errorMessage(text: string): Message {
  return { text, tone: 'error', blocks: [{ type: 'text', text }] };
}

