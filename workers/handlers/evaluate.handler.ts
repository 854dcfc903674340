import { JobCancelledError, PermanentJobError, userFacingMessage, type JobContext, type ModelVersion } from '../../core/index.js';
import { evaluateClassifier, evaluationResult, type DeployedBaseline, type EvaluationReport } from '../evaluation/index.js';
import { loadTextDataset, loadTextModel, type TextExample } from '../training/index.js';
import { heldOut } from './held-out-split.js';
import { configuredEnvironments } from './next-steps.js';
import type { HandlerDeps, JobHandler } from './handler-deps.js';

async function score(deps: HandlerDeps, version: ModelVersion, examples: readonly TextExample[]): Promise<EvaluationReport> {
  const classifier = await loadTextModel(deps.dataDir, version);
  const probabilities = classifier.predictProba(examples.map((e) => e.text));
  return evaluateClassifier({ labels: classifier.labels, actual: examples.map((e) => e.label), probabilities });
}

/**
 * Data whose labels are all unknown to the model scores 0 on every metric, which says
 * nothing about the model: the label column most likely names the classes differently.
 */
function refuseForeignLabels(report: EvaluationReport, examples: readonly TextExample[], datasetPath: string, version: ModelVersion): void {
  const unseen = new Set(report.unseenLabels);
  if (examples.length === 0 || !examples.every((e) => unseen.has(e.label))) return;
  const predicts = report.labels.filter((label) => !unseen.has(label));
  throw new PermanentJobError(
    `none of the labels in ${datasetPath} (${report.unseenLabels.join(', ')}) is one ${version.model} v${version.version} predicts (${predicts.join(', ')}); ` +
      'check the label column, or evaluate a model trained on these labels',
  );
}

/** Where each environment runs this model, most production-like first. */
async function deploymentsOf(deps: HandlerDeps, model: string, environments: readonly string[]) {
  const found = await Promise.all([...environments].reverse().map(async (env) => ({ env, revision: await deps.store.deployments.current(model, env) })));
  return found.flatMap(({ env, revision }) => (revision ? [{ env, version: revision.version }] : []));
}

/**
 * Scores a model version on a dataset (its held-out test split unless another is
 * named) and compares it with the version deployed in the most production-like
 * environment, scored on the same examples.
 */
export const evaluateHandler: JobHandler<'evaluate'> = async (action, _job, context, deps) => {
  const { model } = action.args;
  const environments = configuredEnvironments(deps);
  const version = await deps.store.registry.getVersion(model, Number(action.args.version));
  if (!version) throw new PermanentJobError(`${model} v${action.args.version} no longer exists in the registry`);
  const datasetPath = action.args.dataset ?? version.dataset;
  await context.reportProgress({ percent: 10, message: `loading ${datasetPath}` });
  const dataset = await loadTextDataset(datasetPath, deps.workDir, { purpose: 'evaluate' });
  const { split, examples } = action.args.dataset ? { split: undefined, examples: dataset.examples } : heldOut(dataset.examples, version);
  const notes: string[] = [];
  if (split && dataset.hash !== version.datasetHash) {
    notes.push(`${datasetPath} changed since v${version.version} was trained, so its ${split} split may include training examples.`);
  }

  await context.reportProgress({ percent: 30, message: `scoring v${version.version} on ${examples.length} examples` });
  const report = await score(deps, version, examples);
  refuseForeignLabels(report, examples, datasetPath, version);
  const deployments = await deploymentsOf(deps, model, environments);
  const deployed = deployments[0];
  let baseline: DeployedBaseline | undefined;
  if (deployed) {
    const compared = await compareWithDeployed(deps, context, model, deployed, version, examples);
    baseline = compared.baseline;
    if (split && compared.trainedOnOtherData) notes.push(`v${deployed.version} was trained on other data, so these examples may include its training examples.`);
  }
  return evaluationResult({
    model,
    version: version.version,
    on: split ? `the ${split} split of ${datasetPath}` : datasetPath,
    report,
    baseline,
    environments,
    runsIn: deployments.filter((d) => d.version === version.version).map((d) => d.env),
    notes,
  });
};

/** Scores the deployed version on the same examples; one that cannot be scored (artifact gone) leaves the evaluation standing. */
async function compareWithDeployed(
  deps: HandlerDeps,
  context: JobContext,
  model: string,
  deployed: { env: string; version: number },
  candidate: ModelVersion,
  examples: readonly TextExample[],
): Promise<{ baseline: DeployedBaseline; trainedOnOtherData?: boolean }> {
  if (deployed.version === candidate.version) return { baseline: { ...deployed, kind: 'same' } };
  if (context.signal.aborted) throw new JobCancelledError();
  await context.reportProgress({ percent: 60, message: `scoring v${deployed.version} (deployed in ${deployed.env}) on the same examples` });
  const version = await deps.store.registry.getVersion(model, deployed.version);
  if (!version) return { baseline: { ...deployed, kind: 'unavailable', problem: 'it is no longer in the registry.' } };
  try {
    const report = await score(deps, version, examples);
    return { baseline: { ...deployed, kind: 'compared', report }, trainedOnOtherData: version.datasetHash !== candidate.datasetHash };
  } catch (error) {
    deps.log.warn({ err: error, model, version: deployed.version }, 'could not score the deployed version');
    return { baseline: { ...deployed, kind: 'unavailable', problem: userFacingMessage(error) } };
  }
}
