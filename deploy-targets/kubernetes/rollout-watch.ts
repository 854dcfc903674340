import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { RolloutFailedError, type RolloutProgress } from '../../core/index.js';

/** A pod restarting this often without becoming ready is a crash loop, not a slow start: the rollout fails at once. */
export const CRASH_LOOP_RESTARTS = 3;
/** Container states no amount of waiting fixes. */
const HOPELESS_WAITING = new Set(['InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError']);

export interface RolloutState {
  done: boolean;
  progress: RolloutProgress;
  /** Why it can never finish (ProgressDeadlineExceeded), when it cannot. */
  failure?: string;
}

/**
 * How far a Deployment's rollout is, from its status alone, as `kubectl rollout status` judges it: the controller
 * has seen the latest spec (observedGeneration), every wanted replica runs the new template (updatedReplicas), no old
 * one is left (replicas), and all are available and ready. Status fields that are zero are absent in the API's JSON.
 */
export function rolloutState(deployment: V1Deployment): RolloutState {
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const ready = Math.min(status.readyReplicas ?? 0, updated, desired);
  const seen = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (seen && progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { done: false, progress: { ready, desired, message: `${ready} of ${desired} ready; no progress within the deadline` }, failure: `ProgressDeadlineExceeded (${progressing.message ?? `no progress for ${deployment.spec?.progressDeadlineSeconds ?? 600} s`})` };
  }
  if (!seen) return { done: false, progress: { ready: 0, desired, message: 'waiting for the Deployment controller to pick up the new spec' } };
  if (updated < desired) return { done: false, progress: { ready, desired, message: `${updated} of ${desired} pods run the new version, ${ready} ready` } };
  if (total > updated) return { done: false, progress: { ready, desired, message: `${total - updated} old pod(s) still terminating` } };
  if (available < desired || (status.readyReplicas ?? 0) < desired) return { done: false, progress: { ready, desired, message: `${ready} of ${desired} ready` } };
  return { done: true, progress: { ready: desired, desired, message: `${desired} of ${desired} ready` } };
}

/** A pod's problem worth telling (an image that cannot be pulled, a crash loop), and whether waiting can fix it. */
export function podProblem(pods: readonly V1Pod[]): { message: string; hopeless: boolean } | undefined {
  let found: { message: string; hopeless: boolean } | undefined;
  for (const pod of pods) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const container of statuses) {
      const waiting = container.state?.waiting;
      if (!waiting?.reason || waiting.reason === 'ContainerCreating' || waiting.reason === 'PodInitializing') continue;
      const last = container.lastState?.terminated;
      const exited = last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : '';
      const message = `pod ${pod.metadata?.name}: container ${container.name} is ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}${exited}`;
      const hopeless = HOPELESS_WAITING.has(waiting.reason) || (waiting.reason === 'CrashLoopBackOff' && (container.restartCount ?? 0) >= CRASH_LOOP_RESTARTS);
      if (hopeless) return { message, hopeless };
      found ??= { message, hopeless };
    }
  }
  return found;
}

export interface WatchOptions {
  /** e.g. `sentiment-green in opsbot-prod (v4)`, for messages. */
  label: string;
  read: () => Promise<V1Deployment | undefined>;
  /** The colour's pods, for why it is stuck; absent: status only. */
  pods?: () => Promise<V1Pod[]>;
  onProgress: (progress: RolloutProgress) => void;
  signal?: AbortSignal;
  timeoutMs: number;
  pollMs: number;
}

/**
 * Polls the Deployment until its rollout is complete, reporting progress when it changes. Fails with
 * RolloutFailedError on ProgressDeadlineExceeded, a crash loop or unusable image, the timeout, or `signal`.
 */
export async function waitForRollout(options: WatchOptions): Promise<V1Deployment> {
  const { label, signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    if (signal?.aborted) throw new RolloutFailedError(`the rollout of ${label} was cancelled; what serves is untouched`);
    const deployment = await options.read();
    if (!deployment) throw new RolloutFailedError(`${label} was deleted during its rollout`);
    const state = rolloutState(deployment);
    if (state.done) {
      options.onProgress(state.progress);
      return deployment;
    }
    const problem = options.pods ? podProblem(await options.pods().catch(() => [])) : undefined;
    if (state.failure) throw new RolloutFailedError(`${label} never became ready: ${state.failure}${problem ? `; ${problem.message}` : ''}. What serves is untouched`);
    if (problem?.hopeless) throw new RolloutFailedError(`${label} cannot become ready: ${problem.message}. What serves is untouched`);
    const progress = problem ? { ...state.progress, message: `${state.progress.message}; ${problem.message}` } : state.progress;
    const key = JSON.stringify(progress);
    if (key !== last) {
      last = key;
      options.onProgress(progress);
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new RolloutFailedError(`${label} did not become ready within ${Math.round(options.timeoutMs / 1000)} s (${progress.message}). What serves is untouched`);
    await sleep(Math.min(options.pollMs, left), signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
