import { z } from 'zod';
import type { ActionLimits } from './action-limits.js';

/** Model names become Kubernetes object names, so they are DNS labels (RFC 1123). */
export const MODEL_NAME_RULE =
  'model names are DNS labels: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
export const MODEL_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const modelNameSchema = z.string().regex(MODEL_NAME_PATTERN, MODEL_NAME_RULE);

/** A version is a number ("7"), "latest" or "previous". */
export const VERSION_RULE = 'a version is a number such as v3, or "latest" or "previous"';
export const versionSchema = z.string().regex(/^([1-9]\d{0,8}|latest|previous)$/, VERSION_RULE);

export const JOB_ID_PATTERN = /^j-[0-9a-z]{6,12}$/;
export const jobIdSchema = z.string().regex(JOB_ID_PATTERN, 'job ids look like j-4f9k2a7q (see `status`)');

/**
 * A dataset path is read by the worker from its work directory, so it must stay inside
 * it: no leading "/" and no "..". The character set already leaves out "\" and ":", so
 * Windows forms (C:\data, \\server) cannot be written either.
 */
export const DATASET_RULE =
  'dataset paths are relative paths or file names, such as data/sentiment.csv: not starting with "/", without "..", spaces or shell characters';
export const datasetSchema = z
  .string()
  .max(512, 'dataset paths are at most 512 characters')
  .regex(/^[A-Za-z0-9_./@+-]+$/, DATASET_RULE)
  .refine((path) => !path.startsWith('/') && !path.split('/').includes('..'), DATASET_RULE);

const count = (name: string, min: number, max: number) =>
  z
    .number({ error: `${name} must be a whole number between ${min} and ${max}` })
    .int(`${name} must be a whole number between ${min} and ${max}`)
    .min(min, `${name} must be between ${min} and ${max}`)
    .max(max, `${name} must be between ${min} and ${max}`);

/** The names of every action, in the order `help` lists them. */
export const ACTION_NAMES = [
  'train',
  'tune',
  'evaluate',
  'quantize',
  'deploy',
  'rollback',
  'scale',
  'delete',
  'prune',
  'status',
  'curve',
  'cancel',
  'audit',
  'help',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** Actions that run on a worker as a queued job. */
export const JOB_ACTIONS = ['train', 'tune', 'evaluate', 'quantize', 'deploy', 'rollback', 'scale', 'delete', 'prune'] as const;

/** How `train` starts: from scratch, from the model's latest weights, or from another model's (transfer). */
export const TRAIN_MODES = ['full', 'incremental', 'finetune'] as const;
export const ALGORITHMS = ['softmax', 'mlp'] as const;
export const SEARCH_METHODS = ['grid', 'bayes'] as const;
export type JobActionName = (typeof JOB_ACTIONS)[number];

/**
 * One zod schema per action. Built from the config because the environments and
 * limits are configurable; the argument keys are fixed across every layer.
 */
export function buildActionSchemas(limits: ActionLimits) {
  const env = z.string().refine((name) => limits.environments.includes(name), {
    error: (issue) => `unknown environment "${String(issue.input)}"; environments are ${limits.environments.join(', ')}`,
  });
  return {
    train: z.object({
      action: z.literal('train'),
      args: z
        .strictObject({
          model: modelNameSchema,
          dataset: datasetSchema.optional(),
          epochs: count('epochs', 1, limits.maxEpochs).optional(),
          gpus: count('gpus', 0, limits.maxGpus).optional(),
          mode: z.enum(TRAIN_MODES, { error: `mode must be one of ${TRAIN_MODES.join(', ')}` }).optional(),
          /** The model whose latest version a fine-tune starts from. */
          base: modelNameSchema.optional(),
          algorithm: z.enum(ALGORITHMS, { error: `algorithm must be one of ${ALGORITHMS.join(', ')}` }).optional(),
        })
        .refine((a) => a.mode !== 'finetune' || a.base !== undefined, {
          error: 'a fine-tune needs a base model: train <model> --mode finetune --base <base-model>',
        })
        .refine((a) => a.base === undefined || a.mode === undefined || a.mode === 'finetune', {
          error: '--base is only for --mode finetune',
        }),
    }),
    tune: z.object({
      action: z.literal('tune'),
      args: z.strictObject({
        model: modelNameSchema,
        dataset: datasetSchema.optional(),
        trials: count('trials', 1, 100).optional(),
        method: z.enum(SEARCH_METHODS, { error: `method must be one of ${SEARCH_METHODS.join(', ')}` }).optional(),
        epochs: count('epochs', 1, limits.maxEpochs).optional(),
      }),
    }),
    quantize: z.object({
      action: z.literal('quantize'),
      args: z.strictObject({ model: modelNameSchema, version: versionSchema.optional() }),
    }),
    curve: z.object({ action: z.literal('curve'), args: z.strictObject({ jobId: jobIdSchema }) }),
    evaluate: z.object({
      action: z.literal('evaluate'),
      args: z
        .strictObject({ model: modelNameSchema, version: versionSchema.optional(), dataset: datasetSchema.optional() })
        // "evaluate sentiment on staging" reads "staging" as a file; say what it is instead of failing on its format.
        .refine((a) => a.dataset === undefined || !limits.environments.includes(a.dataset), {
          error: (issue) => {
            const { model, dataset } = issue.input as { model: string; dataset: string };
            return `"${dataset}" is an environment, not a dataset; to score a version on a file, name the file: evaluate ${model} v<N> on data/holdout.csv (evaluate compares with the deployed version by itself)`;
          },
        }),
    }),
    deploy: z.object({
      action: z.literal('deploy'),
      args: z.strictObject({ model: modelNameSchema, version: versionSchema.optional(), env }),
    }),
    rollback: z.object({
      action: z.literal('rollback'),
      args: z.strictObject({ model: modelNameSchema, env, version: versionSchema.optional() }),
    }),
    scale: z.object({
      action: z.literal('scale'),
      args: z
        .strictObject({
          model: modelNameSchema,
          env,
          replicas: count('replicas', 0, limits.maxReplicas).optional(),
          min: count('min', 0, limits.maxReplicas).optional(),
          max: count('max', 1, limits.maxReplicas).optional(),
        })
        .refine((a) => a.replicas !== undefined || a.min !== undefined || a.max !== undefined, {
          error: 'say how many replicas: `scale <model> in <env> to 4`, or an autoscaling range `--min 2 --max 8`',
        })
        .refine((a) => a.replicas === undefined || (a.min === undefined && a.max === undefined), {
          error: 'give either a replica count or a --min/--max range, not both',
        })
        .refine((a) => a.min === undefined || a.max === undefined || a.min <= a.max, {
          error: 'min must not be greater than max',
        }),
    }),
    delete: z.object({
      action: z.literal('delete'),
      args: z.strictObject({ model: modelNameSchema, version: versionSchema }),
    }),
    prune: z.object({
      action: z.literal('prune'),
      /** Without `keep`, the dispatcher pins the config's retention.keepVersions. */
      args: z.strictObject({ model: modelNameSchema, keep: count('keep', 1, 1000).optional() }),
    }),
    status: z.object({
      action: z.literal('status'),
      args: z
        .strictObject({ jobId: jobIdSchema.optional(), model: modelNameSchema.optional() })
        .refine((a) => a.jobId === undefined || a.model === undefined, { error: 'status takes a job id or a model, not both' }),
    }),
    cancel: z.object({ action: z.literal('cancel'), args: z.strictObject({ jobId: jobIdSchema }) }),
    audit: z.object({
      action: z.literal('audit'),
      args: z.strictObject({
        verify: z.boolean().optional(),
        user: z.string().min(1).max(200).optional(),
        action: z.enum(ACTION_NAMES).optional(),
        model: modelNameSchema.optional(),
        /** ISO timestamp: only entries at or after it. */
        since: z.iso.datetime().optional(),
        limit: count('limit', 1, 500).optional(),
      }),
    }),
    help: z.object({ action: z.literal('help'), args: z.strictObject({ topic: z.enum(ACTION_NAMES).optional() }) }),
  };
}

type Schemas = ReturnType<typeof buildActionSchemas>;
export type Action = { [K in ActionName]: z.infer<Schemas[K]> }[ActionName];
export type ActionOf<K extends ActionName> = Extract<Action, { action: K }>;
export type JobAction = ActionOf<JobActionName>;

export function isJobAction(action: Action): action is JobAction {
  return (JOB_ACTIONS as readonly string[]).includes(action.action);
}
