import { PermanentJobError, describeScaling, type BlueGreenDeployment } from '../../core/index.js';
import { deployerOf } from './deployer-of.js';
import type { JobHandler } from './handler-deps.js';
import { smokeSample } from './smoke-sample.js';

function smokeLine(d: BlueGreenDeployment): string {
  const smoke = d.report.smokeTest;
  if (!smoke || smoke.texts === 0) return 'No smoke-test sample (its dataset is unreadable): health checked only.';
  const agreement = smoke.agreement === null ? '' : `, ${(smoke.agreement * 100).toFixed(0)}% agree with the live version`;
  return `Smoke test: ${smoke.texts} texts answered${agreement}.`;
}

/**
 * Rolls a version out to the idle colour, checks it (health, smoke test, latency), then
 * promotes it or asks for approval on a card, as the environment's policy says.
 */
export const deployHandler: JobHandler<'deploy'> = async (action, job, context, deps) => {
  const deployer = deployerOf(deps);
  const { model, env } = action.args;
  const versionNumber = Number(action.args.version);
  const version = await deps.store.registry.getVersion(model, versionNumber);
  if (!version) throw new PermanentJobError(`${model} v${versionNumber} no longer exists in the registry`);
  await context.reportProgress({ percent: 5, message: `rolling out ${model} v${versionNumber} to the idle colour in ${env}` });
  const smokeTexts = await smokeSample(version, deps.workDir, deps.log);
  const deployment = await deployer.deploy(
    { jobId: job.jobId, model, env, version: versionNumber, requestedBy: job.requestedBy, conversation: job.conversation, smokeTexts },
    (progress) => {
      const share = progress.desired > 0 ? progress.ready / progress.desired : 0;
      void context.reportProgress({ percent: Math.round(10 + 60 * share), message: progress.message }).catch(() => undefined);
    },
    context.signal,
  );
  const serving = await deployer.target.status({ model, env });
  const slot = await deployer.slotState({ model, env });
  const scaling = slot?.colours[deployment.colour]?.scaling;
  const details = {
    model,
    env,
    version: `v${versionNumber}`,
    colour: deployment.colour,
    deployment: deployment.id,
    ...(scaling ? { replicas: describeScaling(scaling) } : {}),
    ...(serving.endpoint ? { endpoint: serving.endpoint } : {}),
  };
  const replacing = deployment.previousVersion === undefined ? 'its first deployment there' : `replacing v${deployment.previousVersion}`;
  switch (deployment.phase) {
    case 'live':
      return { summary: `${model} v${versionNumber} is live in ${env} on the ${deployment.colour} colour, ${replacing}${serving.endpoint ? `, at ${serving.endpoint}` : ''}. ${smokeLine(deployment)}`, details };
    case 'awaiting_approval':
      return {
        summary: `${model} v${versionNumber} is ready on the idle ${deployment.colour} colour in ${env} (${deployment.previousVersion === undefined ? 'its first deployment there' : `it replaces v${deployment.previousVersion} once promoted`}). ${smokeLine(deployment)} It needs ${deployment.approvalsRequired} approval${deployment.approvalsRequired === 1 ? '' : 's'} to go live: see the approval card.`,
        details: { ...details, ...(serving.previewEndpoint ? { preview: serving.previewEndpoint } : {}) },
      };
    default:
      // A retry of a job whose deployment already ended says how it ended.
      return { summary: `The deployment of ${model} v${versionNumber} to ${env} ended as ${deployment.phase.replace('_', ' ')}${deployment.reason ? `: ${deployment.reason}` : ''}.`, details };
  }
};
