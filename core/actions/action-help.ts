import type { ActionLimits } from './action-limits.js';
import type { ActionName } from './action.schema.js';

/** What `help <command>` says beyond the catalog's summary and usage: each option with its meaning and limits, and examples. */
export interface ActionHelp {
  /** `[how it is written, what it means and what it accepts]`. */
  options: ReadonlyArray<readonly [string, string]>;
  examples: readonly string[];
}

const MODEL = ['<model>', 'the model name: lowercase letters, digits and "-", at most 63 characters'] as const;
const VERSION = ['v<version>', 'a version number (v3, or 3), or latest / previous; the latest version when left out'] as const;
const JOB = ['<job-id>', 'a job id such as j-4f9k2a7q, as `status` lists them'] as const;
const DATASET = [
  '--dataset <path>',
  'a CSV, JSON, JSONL or Parquet file with a text and a label column, relative to the working directory (absolute paths and ".." are refused)',
] as const;

/** Built from the config's limits, so the numbers said are the ones enforced. */
export function actionHelp(name: ActionName, limits: ActionLimits): ActionHelp {
  const envs = limits.environments.join(', ');
  const env = ['<env>', `the environment: ${envs} (never guessed)`] as const;
  switch (name) {
    case 'train':
      return {
        options: [
          MODEL,
          DATASET,
          ['--epochs N', `passes over the data, 1 to ${limits.maxEpochs}`],
          ['--algorithm softmax|mlp', 'the built-in trainer’s model: a linear softmax or a small MLP'],
          ['--mode full|incremental|finetune', 'from scratch, from this model’s latest weights, or from another model’s (with --base)'],
          ['--base <model>', 'the model a fine-tune starts from (only with --mode finetune)'],
          ['--gpus N', `GPUs for a model with an external trainer, 0 to ${limits.maxGpus} (the built-in trainer runs on CPU)`],
        ],
        examples: ['train sentiment --dataset data/sentiment.csv --epochs 5', 'train sentiment on data/sentiment.csv --algorithm mlp', 'train intents --mode finetune --base sentiment --dataset data/intents.csv'],
      };
    case 'tune':
      return {
        options: [MODEL, DATASET, ['--trials N', 'trials to run, 1 to 100'], ['--method grid|bayes', 'a grid, or Bayesian search (TPE)'], ['--epochs N', `epochs per trial, 1 to ${limits.maxEpochs}`]],
        examples: ['tune sentiment --dataset data/sentiment.csv --trials 8 --method bayes', 'tune sentiment --trials 12 --method grid --epochs 30'],
      };
    case 'quantize':
      return { options: [MODEL, VERSION], examples: ['quantize sentiment v2', 'quantize sentiment'] };
    case 'curve':
      return { options: [JOB], examples: ['curve j-4f9k2a7q', 'chart j-4f9k2a7q'] };
    case 'evaluate':
      return {
        options: [MODEL, VERSION, ['on <dataset>', 'a file to score it on, as for --dataset; its test split when left out']],
        examples: ['evaluate sentiment v2', 'evaluate sentiment v2 on data/holdout.csv'],
      };
    case 'deploy':
      return {
        options: [
          MODEL,
          VERSION,
          ['to <env>', `${env[1]}; the version starts on the idle colour, is smoke-tested, then goes live, or waits for approvals (Promote/Reject) where the environment needs them (a protected one: 2, not your own)`],
        ],
        examples: ['deploy sentiment v2 to staging', 'deploy sentiment to prod'],
      };
    case 'rollback':
      return {
        options: [MODEL, ['in <env>', `${env[1]}; asks you to confirm, then switches at once while the old colour is still warm`], ['to v<version>', 'the version to go back to; the one deployed before when left out']],
        examples: ['rollback sentiment in prod', 'rollback sentiment in staging to v1'],
      };
    case 'scale':
      return {
        options: [
          MODEL,
          ['in <env>', env[1]],
          ['to <replicas>', `replicas, 0 to ${limits.maxReplicas}; 0 asks you to confirm`],
          ['--min N --max N', `an autoscaling range instead, within 0 to ${limits.maxReplicas}`],
        ],
        examples: ['scale sentiment in prod to 4', 'scale sentiment in staging --min 2 --max 8'],
      };
    case 'delete':
      return { options: [MODEL, ['v<version>', 'the version to delete; a deployed one is refused']], examples: ['delete sentiment v2', 'delete churn v7'] };
    case 'prune':
      return {
        options: [MODEL, ['--keep N', 'newest versions to keep, 1 to 1000 (the config’s retention.keepVersions when left out); deployed ones are always kept']],
        examples: ['prune sentiment --keep 3', 'prune sentiment'],
      };
    case 'status':
      return {
        options: [
          ['[<job-id>]', 'one job in detail; recent jobs when left out'],
          ['[<model>]', 'where the model serves: live and idle version per environment, replicas, health, endpoint, approvals waiting'],
        ],
        examples: ['status', 'status j-4f9k2a7q', 'status sentiment'],
      };
    case 'cancel':
      return { options: [JOB], examples: ['cancel j-4f9k2a7q', 'stop j-4f9k2a7q'] };
    case 'audit':
      return {
        options: [
          ['verify', 'check the hash chain of the whole log instead of listing'],
          ['--user U', 'only this user id'],
          ['--action A', 'only this command'],
          ['--model M', 'only this model'],
          ['--since T', 'a duration back from now (30m, 24h, 7d) or a date (2026-01-31)'],
          ['--limit N', 'entries to show, 1 to 500'],
        ],
        examples: ['audit --action deploy --since 7d', 'audit --user alice --limit 20', 'audit verify'],
      };
    case 'help':
      return { options: [['[<command>]', 'one command in detail; the commands you may run when left out']], examples: ['help', 'help deploy'] };
  }
}
