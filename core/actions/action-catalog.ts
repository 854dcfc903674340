import type { EnvironmentConfig } from '../config/config.schema.js';
import type { Action, ActionName } from './action.schema.js';

/** What each action is, declared as data: help, RBAC and confirmation read it instead of repeating ifs. */
export interface ActionSpec {
  name: ActionName;
  summary: string;
  usage: string;
  example: string;
  /** Runs on a worker as a queued job rather than answering at once. */
  runsAsJob: boolean;
}

export const ACTION_CATALOG: Record<ActionName, ActionSpec> = {
  train: {
    name: 'train',
    summary: 'train a new model version on a text,label dataset',
    usage: 'train <model> --dataset <path> [--epochs N] [--gpus N, for a model with an external trainer] [--algorithm softmax|mlp] [--mode full|incremental|finetune --base <model>]',
    example: 'train sentiment --dataset data/sentiment.csv --epochs 5',
    runsAsJob: true,
  },
  tune: {
    name: 'tune',
    summary: 'search hyperparameters (grid or Bayesian) and keep the best trial',
    usage: 'tune <model> [--dataset <path>] [--trials N] [--method grid|bayes] [--epochs N]',
    example: 'tune sentiment --dataset data/sentiment.csv --trials 8 --method bayes',
    runsAsJob: true,
  },
  quantize: {
    name: 'quantize',
    summary: 'quantize a version to INT8 and report size, accuracy and latency',
    usage: 'quantize <model> [v<version>]',
    example: 'quantize sentiment v2',
    runsAsJob: true,
  },
  curve: {
    name: 'curve',
    summary: 'post the training curve of a train job',
    usage: 'curve <job-id>',
    example: 'curve j-4f9k2a7q',
    runsAsJob: false,
  },
  evaluate: {
    name: 'evaluate',
    summary: 'measure a model version (default: its test split)',
    usage: 'evaluate <model> [v<version>] [on <dataset>]',
    example: 'evaluate sentiment v2',
    runsAsJob: true,
  },
  deploy: {
    name: 'deploy',
    summary: 'roll a version out to the idle colour, smoke-test it, then promote it (or ask for approval where the environment needs it)',
    usage: 'deploy <model> [v<version>] to <env>',
    example: 'deploy sentiment v2 to staging',
    runsAsJob: true,
  },
  rollback: {
    name: 'rollback',
    summary: 'switch back to the version that served before (instant while it is still warm)',
    usage: 'rollback <model> in <env> [to v<version>]',
    example: 'rollback sentiment in prod',
    runsAsJob: true,
  },
  scale: {
    name: 'scale',
    summary: 'set the replicas or autoscaling range of what serves in an environment',
    usage: 'scale <model> in <env> to <replicas> | --min N --max N',
    example: 'scale sentiment in prod to 4',
    runsAsJob: true,
  },
  delete: {
    name: 'delete',
    summary: 'delete a model version and its files (not one that is deployed)',
    usage: 'delete <model> v<version>',
    example: 'delete sentiment v2',
    runsAsJob: true,
  },
  prune: {
    name: 'prune',
    summary: "delete a model's older versions, keeping the newest N and every deployed one, and files no version uses",
    usage: 'prune <model> [--keep N]',
    example: 'prune sentiment --keep 3',
    runsAsJob: true,
  },
  status: {
    name: 'status',
    summary: 'list recent jobs, show one job, or show where a model serves',
    usage: 'status [<job-id> | <model>]',
    example: 'status',
    runsAsJob: false,
  },
  cancel: {
    name: 'cancel',
    summary: 'cancel a queued or running job',
    usage: 'cancel <job-id>',
    example: 'cancel j-4f9k2a7q',
    runsAsJob: false,
  },
  audit: {
    name: 'audit',
    summary: 'show recent audit entries, or verify the audit chain',
    usage: 'audit [verify] [--user U] [--action A] [--model M] [--since 24h] [--limit N]',
    example: 'audit --action deploy --since 7d',
    runsAsJob: false,
  },
  help: {
    name: 'help',
    summary: 'list the commands, or explain one',
    usage: 'help [<command>]',
    example: 'help deploy',
    runsAsJob: false,
  },
};

/**
 * Why an action needs an explicit confirmation, or undefined when it does not:
 * deploying to a protected environment that needs no approvers, any rollback, scaling to 0, and deleting versions.
 */
export function confirmationReason(action: Action, environments: readonly EnvironmentConfig[]): string | undefined {
  switch (action.action) {
    case 'deploy': {
      // Where approvers must promote it, their vote is the confirmation.
      const env = environments.find((e) => e.name === action.args.env);
      return env?.protected && env.approval?.required === 0 ? `${action.args.env} is a protected environment` : undefined;
    }
    case 'rollback':
      return `a rollback changes what ${action.args.env} serves`;
    case 'scale':
      return action.args.replicas === 0 || action.args.max === 0
        ? `scaling to 0 stops ${action.args.model} from serving in ${action.args.env}`
        : undefined;
    case 'delete':
      return `it removes ${action.args.model} v${action.args.version} and its files for good`;
    case 'prune':
      return `it removes the files of ${action.args.model}'s versions older than the newest ${action.args.keep ?? 'few'} for good (deployed ones are kept)`;
    default:
      return undefined;
  }
}
