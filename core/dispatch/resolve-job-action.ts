import type { ActionOf, JobAction } from '../actions/action.schema.js';
import type { OpsbotConfig } from '../config/config.schema.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { gpusRequested } from '../queue/gpus-requested.js';
import type { StateStore } from '../store/state-store.port.js';
import type { ModelVersion } from '../store/model-registry.port.js';
import { deployedVersionRefusal, deployedVersions } from '../store/deployed-versions.js';
import { closestMatch } from '../text/closest-match.js';
import type { DatasetCheck } from './dataset-check.port.js';
import { quantizeRefusal } from './quantize-refusal.js';

async function versionsOf(store: StateStore, model: string): Promise<ModelVersion[]> {
  const versions = await store.registry.listVersions(model);
  if (versions.length > 0) return versions;
  const models = await store.registry.listModels();
  const guess = closestMatch(model, models);
  if (guess) throw new NotFoundError(`unknown model "${model}" — did you mean "${guess}"?`);
  const known = models.length > 0 ? `known models are ${models.join(', ')}` : 'no model has been trained yet';
  throw new NotFoundError(`unknown model "${model}"; ${known}. Train it first: train ${model} --dataset <path>`);
}

function pickVersion(model: string, versions: ModelVersion[], wanted: string | undefined): number {
  const numbers = versions.map((v) => v.version);
  const latest = numbers[numbers.length - 1] as number;
  if (wanted === undefined || wanted === 'latest') return latest;
  if (wanted === 'previous') {
    const previous = numbers[numbers.length - 2];
    if (previous === undefined) throw new NotFoundError(`${model} has only one version (v${latest}), so there is no previous one.`);
    return previous;
  }
  const number = Number(wanted);
  if (!numbers.includes(number)) {
    throw new NotFoundError(`${model} has no version v${wanted}; its versions are ${numbers.map((n) => `v${n}`).join(', ')}.`);
  }
  return number;
}

/**
 * The built-in trainer runs on CPU, so a job that reserved GPUs for it would hold them
 * idle (and wait for a worker that has them) only to train on the CPU.
 */
function refuseGpusForBuiltInTrainer(model: string, gpus: number, models: OpsbotConfig['models']): void {
  if (gpus === 0 || models?.[model]?.trainer) return;
  throw new InvalidInputError(
    `the built-in trainer runs on CPU, so ${model} cannot use --gpus ${gpus}; drop --gpus, or name an external trainer for ${model} in opsbot.config.json ("models": {"${model}": {"trainer": {"command": "..."}}}; see README / workers/external/PROTOCOL.md)`,
  );
}

/**
 * A model's external trainer gets only the dataset, epochs and GPUs (workers/external/PROTOCOL.md),
 * so options of the built-in trainer would be silently ignored: the user would think they applied.
 */
function refuseBuiltInTrainerOptions(args: ActionOf<'train'>['args'], models: OpsbotConfig['models']): void {
  if (!models?.[args.model]?.trainer) return;
  const ignored = (['mode', 'base', 'algorithm'] as const).flatMap((option) => (args[option] === undefined ? [] : [`--${option} ${args[option]}`]));
  if (ignored.length === 0) return;
  throw new InvalidInputError(
    `${args.model} is trained by its own external trainer, which ignores the built-in trainer's options (${ignored.join(', ')}); drop them: train ${args.model} [--dataset <path>] [--epochs N] [--gpus N]`,
  );
}

/** tune searches the built-in trainer's settings; a model trained by its own program would get a version it was never meant to have. */
function refuseTuneForExternalTrainer(model: string, models: OpsbotConfig['models']): void {
  if (!models?.[model]?.trainer) return;
  throw new InvalidInputError(
    `tune searches the settings of opsbot's built-in trainer, but ${model} is trained by its own external trainer (opsbot.config.json); search its hyperparameters in that program, then: train ${model} --dataset <path>`,
  );
}

export interface ResolveSettings {
  config: Pick<OpsbotConfig, 'models' | 'environments' | 'retention'>;
  /** Checks a dataset path as the worker will read it; absent where the bot cannot see the worker's files. */
  datasets?: DatasetCheck;
}

/**
 * Checks a job action against the current state and pins what it will act on
 * (a concrete version, the dataset, how many versions prune keeps), so the worker,
 * the audit log and the reply all name the same thing. What the worker would refuse
 * anyway (a missing dataset, an INT8 version to quantize, a deployed version to
 * delete) is refused here, before anything is queued.
 */
export async function resolveJobAction(action: JobAction, store: StateStore, { config, datasets }: ResolveSettings): Promise<JobAction> {
  const { models } = config;
  const environments = config.environments.map((env) => env.name);
  const refuseMissingDataset = async (path: string | undefined) => {
    const problem = path === undefined ? undefined : await datasets?.(path);
    if (problem) throw new InvalidInputError(problem);
  };
  switch (action.action) {
    case 'train':
    case 'tune': {
      if (action.action === 'train') refuseGpusForBuiltInTrainer(action.args.model, gpusRequested(action), models);
      if (action.action === 'train') refuseBuiltInTrainerOptions(action.args, models);
      if (action.action === 'tune') refuseTuneForExternalTrainer(action.args.model, models);
      if (action.action === 'train' && action.args.base) await versionsOf(store, action.args.base);
      if (action.action === 'train' && action.args.mode === 'incremental') await versionsOf(store, action.args.model);
      // An external trainer reads the dataset in its own way (it may be a directory or a URL-like name).
      if (!(action.action === 'train' && models?.[action.args.model]?.trainer)) await refuseMissingDataset(action.args.dataset);
      if (action.args.dataset) return action;
      const versions = await store.registry.listVersions(action.args.model);
      const last = versions[versions.length - 1];
      if (!last) {
        throw new InvalidInputError(
          `${action.action} needs a dataset the first time a model is trained: ${action.action} ${action.args.model} --dataset data/sentiment.csv (a CSV file with text,label columns)`,
        );
      }
      return { ...action, args: { ...action.args, dataset: last.dataset } } as JobAction;
    }
    case 'evaluate':
    case 'quantize':
    case 'deploy':
    case 'delete': {
      const versions = await versionsOf(store, action.args.model);
      const version = pickVersion(action.args.model, versions, action.args.version);
      const picked = versions.find((v) => v.version === version) as ModelVersion;
      if (action.action === 'quantize') {
        const refusal = quantizeRefusal(picked);
        if (refusal) throw new InvalidInputError(refusal);
      }
      if (action.action === 'evaluate') await refuseMissingDataset(action.args.dataset);
      if (action.action === 'deploy') {
        if (picked.params.trainer === 'external') {
          throw new InvalidInputError(`${action.args.model} v${version} was made by its own external trainer, whose artifact opsbot's model server cannot run, so it cannot be deployed by opsbot; serve it with that trainer's own tooling`);
        }
        const live = await store.deployments.current(action.args.model, action.args.env);
        if (live?.version === version) throw new ConflictError(`${action.args.model} v${version} is already live in ${action.args.env}; nothing to deploy.`);
      }
      if (action.action === 'delete') {
        const running = (await deployedVersions(store.deployments, action.args.model, environments)).get(version);
        if (running) throw new ConflictError(deployedVersionRefusal(action.args.model, version, running));
      }
      return { ...action, args: { ...action.args, version: String(version) } } as JobAction;
    }
    case 'prune': {
      await versionsOf(store, action.args.model);
      return { ...action, args: { ...action.args, keep: action.args.keep ?? config.retention.keepVersions } };
    }
    case 'rollback': {
      const { model, env } = action.args;
      const versions = await versionsOf(store, model);
      const current = await store.deployments.current(model, env);
      if (!current) throw new NotFoundError(`${model} is not deployed in ${env}, so there is nothing to roll back.`);
      let target: number;
      if (action.args.version === undefined || action.args.version === 'previous') {
        const history = await store.deployments.history(model, env, 200);
        // A deleted version cannot be served again, so it is passed over.
        const earlier = history.find((revision) => revision.version !== current.version && versions.some((v) => v.version === revision.version));
        if (!earlier) throw new ConflictError(`Nothing to roll back to: ${model} has only ever run v${current.version} in ${env}.`);
        target = earlier.version;
      } else {
        target = pickVersion(model, versions, action.args.version);
      }
      if (target === current.version) throw new ConflictError(`${model} v${target} is already what ${env} runs; nothing to roll back.`);
      return { ...action, args: { ...action.args, version: String(target) } };
    }
    case 'scale': {
      const { model, env } = action.args;
      await versionsOf(store, model);
      const current = await store.deployments.current(model, env);
      if (!current) throw new NotFoundError(`${model} is not deployed in ${env}; deploy it first: deploy ${model} to ${env}`);
      return action;
    }
  }
}
