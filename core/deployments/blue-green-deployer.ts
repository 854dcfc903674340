import type { ChatPort } from '../chat/chat.port.js';
import type { EnvironmentConfig, OpsbotConfig } from '../config/config.schema.js';
import { ConflictError, NotFoundError, PermanentJobError, isOpsbotError, userFacingMessage } from '../errors.js';
import { identityKey, type ConversationRef, type Identity } from '../identity.js';
import type { Logger } from '../logger.port.js';
import type { BlueGreenDeployment, DeploymentPatch, DeploymentPhase, DeploymentReport, ServingSlotState } from '../store/blue-green-store.port.js';
import type { StateStore } from '../store/state-store.port.js';
import type { DeploymentChange } from '../store/deployment-store.port.js';
import { approvalCard } from './approval-card.js';
import { approvalPolicyFor } from './approval-policy.js';
import { otherColour, type Colour, type DeployTarget, type RolloutProgress, type Scaling, type ServingSlot } from './deploy-target.port.js';
import { checkScaling, describeScaling, initialScaling } from './replica-bounds.js';
import { SlotLocks } from './slot-locks.js';
import { latencySummary, smokeTestReport } from './smoke-test.js';

export type DeployerConfig = Pick<OpsbotConfig, 'environments' | 'deploy' | 'limits' | 'rbac'>;

export interface BlueGreenDeployerDeps {
  target: DeployTarget;
  store: StateStore;
  config: DeployerConfig;
  log: Logger;
  /** Posts and updates approval cards; absent in a worker process, where the bot's sweep posts them. */
  chat?: ChatPort;
  now?: () => Date;
}

export interface DeployRequest extends ServingSlot {
  jobId: string;
  version: number;
  requestedBy: Identity;
  conversation: ConversationRef;
  /** Texts the idle colour answers before anyone promotes it (the version's test split by default). */
  smokeTexts: readonly string[];
}

export interface RollbackRequest extends ServingSlot {
  jobId: string;
  version: number;
  by: Identity;
}

export interface ScaleRequest extends ServingSlot {
  jobId: string;
  scaling: Scaling;
  by: Identity;
}

/** Deployments that still hold the idle colour. */
const OPEN: readonly DeploymentPhase[] = ['rolling_out', 'awaiting_approval'];
/** How many single-text requests the latency figure on the card is measured over. */
const LATENCY_SAMPLES = 20;
/**
 * The registry metrics the card compares, in this order when present: each version's scores
 * on its own held-out test split (validation where it had none), as training recorded them.
 */
const CARD_METRICS = ['test_accuracy', 'test_macro_f1', 'test_loss', 'val_accuracy', 'val_macro_f1', 'val_loss', 'accuracy', 'macro_f1'];

/**
 * Blue-green deployments through a deploy target: roll a version out to the idle colour,
 * check it, then promote it at once or once enough people approved; roll back by switching
 * to the colour kept warm; scale the live colour. Every step is a persisted state, so a
 * restart resumes or fails a deployment and says which.
 */
export class BlueGreenDeployer {
  private readonly locks = new SlotLocks();
  private readonly now: () => Date;

  constructor(private readonly deps: BlueGreenDeployerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get target(): DeployTarget {
    return this.deps.target;
  }

  find(id: string): Promise<BlueGreenDeployment | undefined> {
    return this.deps.store.blueGreen.get(id);
  }

  environment(name: string): EnvironmentConfig {
    const env = this.deps.config.environments.find((e) => e.name === name);
    if (!env) throw new NotFoundError(`unknown environment "${name}"`);
    return env;
  }

  /** The deploy job: rollout, health, smoke test, then promotion or an approval request. */
  async deploy(request: DeployRequest, onProgress: (progress: RolloutProgress) => void, signal?: AbortSignal): Promise<BlueGreenDeployment> {
    const { blueGreen } = this.deps.store;
    const earlier = await blueGreen.getByJob(request.jobId);
    if (earlier && earlier.phase !== 'rolling_out') return earlier;
    return this.locks.run(request.model, request.env, async () => {
      const env = this.environment(request.env);
      const slot = await blueGreen.slot(request.model, request.env);
      const live = slot?.live;
      const liveVersion = live ? slot?.colours[live]?.version : undefined;
      if (liveVersion === request.version) throw new PermanentJobError(`${request.model} v${request.version} is already live in ${request.env}`);
      await this.supersedeOpen(request, `replaced by a deploy of v${request.version} (job ${request.jobId})`, request.jobId);
      const colour: Colour = live ? otherColour(live) : 'blue';
      const scaling = (live ? slot?.colours[live]?.scaling : undefined) ?? initialScaling(env, this.deps.config.limits);
      const policy = approvalPolicyFor(env);
      const deployment =
        earlier ??
        (await blueGreen.create({
          id: `d-${request.jobId.replace(/^j-/, '')}`,
          jobId: request.jobId,
          model: request.model,
          env: request.env,
          version: request.version,
          colour,
          previousVersion: liveVersion,
          requestedBy: request.requestedBy,
          conversation: request.conversation,
          approvalsRequired: policy.required,
        }));
      await this.saveSlot(request, slot, { colours: { ...slot?.colours, [deployment.colour]: { version: request.version, scaling } }, idleWarmUntil: undefined });
      let report: DeploymentReport;
      try {
        await this.deps.target.rollOut({ ...request, colour: deployment.colour, scaling }, onProgress, signal);
        report = await this.check(request, deployment.colour, live, liveVersion);
      } catch (error) {
        await this.failRollout(deployment, error);
        throw isOpsbotError(error) ? new PermanentJobError(error.userMessage, { cause: error }) : error;
      }
      await blueGreen.update(deployment.id, { report });
      if (policy.required === 0) return this.switchTo(deployment, 'opsbot (no approval needed here)', { reason: `no approval is needed in ${request.env}` });
      const expiresAt = new Date(this.now().getTime() + policy.expiryMinutes * 60_000).toISOString();
      const waiting = await blueGreen.transition(deployment.id, ['rolling_out'], 'awaiting_approval', { expiresAt });
      if (!waiting) return (await blueGreen.get(deployment.id)) as BlueGreenDeployment;
      await this.publishCard(waiting);
      return waiting;
    });
  }

  /** Health, smoke test and latency of the idle colour, and the registry's metrics against the live version's. */
  private async check(request: DeployRequest, colour: Colour, live: Colour | undefined, liveVersion: number | undefined): Promise<DeploymentReport> {
    const { target, store } = this.deps;
    const slot: ServingSlot = { model: request.model, env: request.env };
    const texts = request.smokeTexts;
    const idleAnswers = texts.length > 0 ? await target.predict(slot, colour, texts) : [];
    const liveAnswers = live && texts.length > 0 ? await target.predict(slot, live, texts).catch(() => undefined) : undefined;
    const samples: number[] = [];
    for (const text of texts.slice(0, LATENCY_SAMPLES)) {
      const started = performance.now();
      await target.predict(slot, colour, [text]);
      samples.push(performance.now() - started);
    }
    const status = await target.status(slot);
    const metrics = (await store.registry.getVersion(slot.model, request.version))?.metrics;
    const before = liveVersion === undefined ? undefined : (await store.registry.getVersion(slot.model, liveVersion))?.metrics;
    const evaluation: Record<string, [number | null, number]> = {};
    for (const name of CARD_METRICS) {
      const value = metrics?.[name];
      if (typeof value === 'number') evaluation[name] = [typeof before?.[name] === 'number' ? before[name] : null, value];
    }
    return {
      evaluation,
      smokeTest: smokeTestReport(idleAnswers, liveAnswers),
      latencyMs: latencySummary(samples),
      healthy: status.colours[colour].readyReplicas > 0,
    };
  }

  /** A rollout that never became ready: the idle colour is stopped and forgotten; the live one never changed. */
  private async failRollout(deployment: BlueGreenDeployment, error: unknown): Promise<void> {
    const reason = isOpsbotError(error) ? error.userMessage : userFacingMessage(error);
    this.deps.log.warn({ err: error, deployment: deployment.id }, 'rollout failed; the live colour is untouched');
    await this.deps.store.blueGreen.transition(deployment.id, OPEN, 'failed', { reason: `Rollout failed: ${reason}` });
    await this.retireColour(deployment, deployment.colour);
  }

  /** Stops a colour that does not serve and drops it from the slot, unless it became live meanwhile. */
  private async retireColour(slot: ServingSlot, colour: Colour): Promise<void> {
    const state = await this.slotState(slot);
    if (state?.live === colour) return;
    try {
      await this.deps.target.retire(slot, colour);
    } catch (error) {
      this.deps.log.warn({ err: error, ...slot, colour }, 'could not stop the idle colour');
    }
    if (!state) return;
    const colours = { ...state.colours };
    delete colours[colour];
    if (!state.live && Object.keys(colours).length === 0) return this.deps.store.blueGreen.removeSlot(slot.model, slot.env);
    await this.saveSlot(slot, state, { colours, idleWarmUntil: undefined });
  }

  /**
   * Switches the stable endpoint to the deployment's colour. Only one caller wins the
   * move to `promoting`, so a last approval racing an expiry, or two replicas handling
   * the same click, promote once.
   */
  private async switchTo(deployment: BlueGreenDeployment, decidedBy: string, extra: DeploymentPatch = {}): Promise<BlueGreenDeployment> {
    const { blueGreen } = this.deps.store;
    const promoting = await blueGreen.transition(deployment.id, ['rolling_out', 'awaiting_approval', 'promoting'], 'promoting', { decidedBy, ...extra });
    if (!promoting) return (await blueGreen.get(deployment.id)) as BlueGreenDeployment;
    const slot = await this.slotState(deployment);
    const scaling = slot?.colours[deployment.colour]?.scaling ?? initialScaling(this.environment(deployment.env), this.deps.config.limits);
    try {
      // After a restart (or a crash of its servers) the approved colour may no longer run: bring it back first.
      const serving = await this.deps.target.status(deployment);
      const colour = serving.colours[deployment.colour];
      if (colour.readyReplicas === 0 || (colour.version !== undefined && colour.version !== deployment.version)) {
        this.deps.log.info({ deployment: deployment.id, colour: deployment.colour }, 'the approved colour does not run; rolling it out again before the switch');
        await this.deps.target.rollOut({ model: deployment.model, env: deployment.env, colour: deployment.colour, version: deployment.version, scaling, jobId: deployment.jobId }, () => undefined);
      }
      await this.deps.target.switchLive(deployment, deployment.colour);
    } catch (error) {
      const failed = await blueGreen.transition(deployment.id, ['promoting'], 'failed', { reason: `Promotion failed, ${slot?.live ? `the ${slot.live} colour still serves` : 'nothing serves yet'}: ${userFacingMessage(error)}` });
      await this.publishCard(failed ?? promoting);
      throw error;
    }
    const warm = this.deps.config.deploy.warmMinutes;
    const hasIdle = slot?.live !== undefined && slot.live !== deployment.colour;
    await this.saveSlot(deployment, slot, {
      live: deployment.colour,
      colours: { ...slot?.colours, [deployment.colour]: { version: deployment.version, scaling } },
      idleWarmUntil: hasIdle ? new Date(this.now().getTime() + warm * 60_000).toISOString() : undefined,
    });
    await this.recordRevision(deployment, deployment.version, scaling, 'deploy', deployment.jobId, deployment.requestedBy);
    for (const previous of await blueGreen.list({ model: deployment.model, env: deployment.env, phases: ['live'] })) {
      if (previous.id !== deployment.id) await blueGreen.transition(previous.id, ['live'], 'superseded', { reason: `v${deployment.version} was promoted` });
    }
    const done = (await blueGreen.transition(deployment.id, ['promoting'], 'live')) ?? promoting;
    await this.publishCard(done);
    this.deps.log.info({ model: deployment.model, env: deployment.env, version: deployment.version, colour: deployment.colour, by: decidedBy }, 'promoted');
    if (hasIdle && warm === 0) await this.retireColour(deployment, otherColour(deployment.colour));
    return done;
  }

  /**
   * Approves a promotion (the last approval needed promotes it) or rejects it; the caller
   * checked the policy. `counted` is false for a repeated click or one that came too late.
   */
  async decide(id: string, voter: Identity, decision: 'approve' | 'reject'): Promise<{ deployment: BlueGreenDeployment; counted: boolean }> {
    const { blueGreen } = this.deps.store;
    const found = await blueGreen.get(id);
    if (!found) throw new NotFoundError(`There is no deployment ${id}`);
    // One click at a time per slot in this process, so a double click reads the first one's vote.
    return this.locks.run(found.model, found.env, async () => {
      const deployment = (await blueGreen.get(id)) ?? found;
      if (deployment.phase !== 'awaiting_approval') return { deployment, counted: false };
      const before = deployment.votes.find((v) => v.voter === identityKey(voter));
      const voted = await blueGreen.vote(id, { voter: identityKey(voter), displayName: voter.displayName, decision, at: this.now().toISOString() });
      if (!voted) return { deployment: (await blueGreen.get(id)) ?? deployment, counted: false };
      const counted = before?.decision !== decision;
      if (decision === 'reject') {
        const rejected = await blueGreen.transition(id, ['awaiting_approval'], 'rejected', { decidedBy: voter.displayName });
        if (!rejected) return { deployment: (await blueGreen.get(id)) ?? voted, counted: false };
        await this.retireColour(rejected, rejected.colour);
        await this.publishCard(rejected);
        return { deployment: rejected, counted };
      }
      const approvals = voted.votes.filter((v) => v.decision === 'approve');
      if (approvals.length < voted.approvalsRequired) {
        if (counted) await this.publishCard(voted);
        return { deployment: voted, counted };
      }
      const names = approvals.map((v) => v.displayName);
      const by = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? voter.displayName);
      const promoted = await this.switchTo(voted, by);
      return { deployment: promoted, counted: counted && promoted.decidedBy === by };
    });
  }

  /** Switches back to an earlier version: at once when the idle colour still runs it warm, else after rolling it out there. */
  async rollback(request: RollbackRequest, onProgress: (progress: RolloutProgress) => void, signal?: AbortSignal): Promise<{ from?: number; to: number; instant: boolean; colour: Colour }> {
    return this.locks.run(request.model, request.env, async () => {
      const { blueGreen } = this.deps.store;
      const slot = await this.slotState(request);
      const live = slot?.live;
      const liveState = live ? slot?.colours[live] : undefined;
      if (!slot || !live || !liveState) throw new PermanentJobError(`${request.model} is not served in ${request.env}, so there is nothing to roll back`);
      if (liveState.version === request.version) {
        return { from: liveState.version, to: request.version, instant: true, colour: live };
      }
      const idle = otherColour(live);
      const status = await this.deps.target.status(request);
      const warm = slot.colours[idle]?.version === request.version && status.colours[idle].readyReplicas > 0;
      await this.supersedeOpen(request, `the ${idle} colour was taken by a rollback to v${request.version}`);
      if (!warm) {
        await this.saveSlot(request, slot, { colours: { ...slot.colours, [idle]: { version: request.version, scaling: liveState.scaling } } });
        try {
          await this.deps.target.rollOut({ ...request, colour: idle, scaling: liveState.scaling }, onProgress, signal);
        } catch (error) {
          await this.retireColour(request, idle);
          throw isOpsbotError(error) ? new PermanentJobError(`Rollback failed, v${liveState.version} still serves: ${error.userMessage}`, { cause: error }) : error;
        }
      }
      await this.deps.target.switchLive(request, idle);
      const after = (await this.slotState(request)) ?? slot;
      await this.saveSlot(request, after, {
        live: idle,
        colours: { ...after.colours, [idle]: { version: request.version, scaling: liveState.scaling } },
        idleWarmUntil: new Date(this.now().getTime() + this.deps.config.deploy.warmMinutes * 60_000).toISOString(),
      });
      for (const current of await blueGreen.list({ model: request.model, env: request.env, phases: ['live'] })) {
        await blueGreen.transition(current.id, ['live'], 'rolled_back', { reason: `rolled back to v${request.version} by ${request.by.displayName}` });
      }
      await this.recordRevision(request, request.version, liveState.scaling, 'rollback', request.jobId, request.by);
      return { from: liveState.version, to: request.version, instant: warm, colour: idle };
    });
  }

  /** Resizes the live colour within the environment's bounds. */
  async scale(request: ScaleRequest): Promise<{ version: number; colour: Colour; scaling: Scaling }> {
    checkScaling(request.scaling, this.environment(request.env), this.deps.config.limits);
    return this.locks.run(request.model, request.env, async () => {
      const slot = await this.slotState(request);
      const live = slot?.live;
      const liveState = live ? slot?.colours[live] : undefined;
      if (!slot || !live || !liveState) throw new PermanentJobError(`${request.model} is not served in ${request.env}; deploy it first`);
      await this.deps.target.scale(request, live, request.scaling);
      await this.waitForReplicas(request, live, 'replicas' in request.scaling ? request.scaling.replicas : request.scaling.min);
      await this.saveSlot(request, slot, { colours: { ...slot.colours, [live]: { version: liveState.version, scaling: request.scaling } } });
      await this.recordRevision(request, liveState.version, request.scaling, 'scale', request.jobId, request.by);
      this.deps.log.info({ ...request, scaling: describeScaling(request.scaling) }, 'scaled');
      return { version: liveState.version, colour: live, scaling: request.scaling };
    });
  }

  /** Waits (within the rollout timeout) until `wanted` replicas of a colour are ready; the reply then says how many are. */
  private async waitForReplicas(slot: ServingSlot, colour: Colour, wanted: number): Promise<void> {
    const deadline = Date.now() + this.deps.config.deploy.rolloutTimeoutMinutes * 60_000;
    while (Date.now() < deadline) {
      const status = await this.deps.target.status(slot);
      if (status.colours[colour].readyReplicas >= wanted) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /**
   * What time settles: approval requests past their expiry (the idle colour is stopped),
   * idle colours past their warm window (retired), and cards a worker could not post.
   */
  async sweep(): Promise<void> {
    const { blueGreen } = this.deps.store;
    const now = this.now();
    for (const waiting of await blueGreen.list({ phases: ['awaiting_approval'], limit: 500 })) {
      if (waiting.expiresAt && Date.parse(waiting.expiresAt) <= now.getTime()) {
        await this.locks.run(waiting.model, waiting.env, async () => {
          const minutes = approvalPolicyFor(this.environment(waiting.env)).expiryMinutes;
          const expired = await blueGreen.transition(waiting.id, ['awaiting_approval'], 'expired', {
            reason: `Nobody decided within ${minutes} minutes; the ${waiting.colour} colour was stopped.`,
          });
          if (!expired) return;
          await this.retireColour(expired, expired.colour);
          await this.publishCard(expired);
        });
      } else if (!waiting.cardRef) {
        await this.publishCard(waiting);
      }
    }
    for (const slot of await blueGreen.slots()) {
      if (!slot.live || !slot.idleWarmUntil || Date.parse(slot.idleWarmUntil) > now.getTime()) continue;
      const idle = otherColour(slot.live);
      await this.locks.run(slot.model, slot.env, async () => {
        const current = await this.slotState(slot);
        if (!current?.idleWarmUntil || Date.parse(current.idleWarmUntil) > now.getTime()) return;
        const open = await blueGreen.list({ model: slot.model, env: slot.env, phases: OPEN });
        if (open.some((d) => d.colour === idle)) return this.saveSlot(slot, current, { idleWarmUntil: undefined }).then(() => undefined);
        this.deps.log.info({ model: slot.model, env: slot.env, colour: idle }, 'the warm window ended; stopping the idle colour');
        await this.retireColour(slot, idle);
      });
    }
  }

  /**
   * After opsbot restarted: what served is started again (the local target's processes
   * died with it), and a deployment cut off mid-way is finished or failed, saying which
   * in its conversation.
   */
  async restore(): Promise<void> {
    const { blueGreen, jobs } = this.deps.store;
    // What serves, and the idle colour of a first deployment waiting for approval (its card still works).
    const slots = (await blueGreen.slots()).filter((slot) => slot.live !== undefined || Object.keys(slot.colours).length > 0);
    const interrupted = await blueGreen.list({ phases: ['rolling_out', 'promoting'], limit: 500 });
    await this.deps.target.restore(
      slots.map((slot) => ({
        model: slot.model,
        env: slot.env,
        ...(slot.live ? { live: slot.live } : {}),
        // An idle colour whose rollout was cut off is not brought back.
        colours: Object.fromEntries(
          Object.entries(slot.colours).filter(([colour]) => colour === slot.live || !interrupted.some((d) => d.phase === 'rolling_out' && d.model === slot.model && d.env === slot.env && d.colour === colour)),
        ),
      })).filter((request) => request.live !== undefined || Object.keys(request.colours).length > 0),
    );
    for (const slot of slots) this.deps.log.info({ model: slot.model, env: slot.env, live: slot.live, version: slot.live ? slot.colours[slot.live]?.version : undefined }, 'restored what serves');
    for (const deployment of interrupted) {
      if (deployment.phase === 'promoting') {
        const done = await this.switchTo(deployment, deployment.decidedBy ?? 'opsbot');
        await this.say(deployment.conversation, `opsbot restarted while promoting ${deployment.model} v${deployment.version} in ${deployment.env}; the promotion was finished: v${deployment.version} serves.`, done.phase === 'live' ? 'success' : 'warning');
        continue;
      }
      const job = await jobs.get(deployment.jobId);
      if (job && (job.status === 'queued' || job.status === 'active')) continue; // its job will run again and pick it up
      await this.failRollout(deployment, new ConflictError('opsbot restarted during the rollout'));
      const slot = await this.slotState(deployment);
      const serving = slot?.live ? `v${slot.colours[slot.live]?.version} still serves` : 'nothing serves there yet';
      await this.say(deployment.conversation, `opsbot restarted while rolling out ${deployment.model} v${deployment.version} to ${deployment.env}; that deployment failed and ${serving}. Deploy again when ready.`, 'warning');
    }
  }

  async slotState(slot: ServingSlot): Promise<ServingSlotState | undefined> {
    return this.deps.store.blueGreen.slot(slot.model, slot.env);
  }

  /** Pending deployments of this slot whose idle colour is about to be taken, ended with a reason. */
  private async supersedeOpen(slot: ServingSlot, reason: string, exceptJob?: string): Promise<void> {
    const { blueGreen } = this.deps.store;
    for (const open of await blueGreen.list({ model: slot.model, env: slot.env, phases: OPEN })) {
      if (open.jobId === exceptJob) continue;
      const ended = await blueGreen.transition(open.id, OPEN, 'superseded', { reason: `Not promoted: ${reason}.` });
      if (ended) await this.publishCard(ended);
    }
  }

  /** The revision history `rollback` and `evaluate` read: what serves now and what served before. */
  private async recordRevision(slot: ServingSlot, version: number, scaling: Scaling, change: DeploymentChange, jobId: string, by: Identity): Promise<void> {
    await this.deps.store.deployments.record({
      model: slot.model,
      env: slot.env,
      version,
      ...('replicas' in scaling ? { replicas: scaling.replicas } : { min: scaling.min, max: scaling.max }),
      change,
      jobId,
      by: identityKey(by),
    });
  }

  private async saveSlot(slot: ServingSlot, current: ServingSlotState | undefined, change: Partial<Omit<ServingSlotState, 'model' | 'env' | 'updatedAt'>>): Promise<ServingSlotState> {
    const merged = { model: slot.model, env: slot.env, live: current?.live, colours: current?.colours ?? {}, idleWarmUntil: current?.idleWarmUntil, ...change };
    return this.deps.store.blueGreen.saveSlot(merged);
  }

  /** Posts the approval card, or updates it in place; without a chat port the bot's sweep does it. */
  async publishCard(deployment: BlueGreenDeployment): Promise<void> {
    const { chat, log, store } = this.deps;
    if (!chat || (deployment.approvalsRequired === 0 && !deployment.cardRef)) return;
    const message = approvalCard(deployment, this.now());
    try {
      if (deployment.cardRef) {
        await chat.update(deployment.conversation, deployment.cardRef, message);
      } else {
        const cardRef = await chat.post(deployment.conversation, message);
        await store.blueGreen.update(deployment.id, { cardRef });
      }
    } catch (error) {
      log.warn({ err: error, deployment: deployment.id }, 'could not post or update the approval card');
    }
  }

  private async say(conversation: ConversationRef, text: string, tone: 'success' | 'warning'): Promise<void> {
    try {
      await this.deps.chat?.post(conversation, { text, tone, blocks: [{ type: 'text', text }] });
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not post a deployment notice');
    }
  }
}
