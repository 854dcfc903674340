import type { ActionName } from '../core/index.js';
import type { SlotName } from './slots.js';

/** One command's grammar as data: which words name it, which slots it takes and how they are introduced. */
export interface CommandGrammar {
  readonly action: ActionName;
  /** Words (or two-word phrases) that name the command; the action name first. */
  readonly words: readonly string[];
  readonly usage: string;
  /** Slots the command accepts by option, key=value, keyword or connector. */
  readonly slots: readonly SlotName[];
  /** What the first free word fills: the model, a job id, a help topic. */
  readonly positional?: SlotName;
  /** A free word that does not fit the positional slot is left over instead ("audit deploy" vs "audit banana"). */
  readonly positionalMustFit?: boolean;
  /** What a free word that does not fit the positional slot fills instead ("status j-4f9k2a7q" vs "status sentiment"). */
  readonly otherPositional?: SlotName;
  /** A bare number after the positional fills this slot: "deploy sentiment 3 to prod". */
  readonly bareNumber?: SlotName;
  /** Words introducing a value; with several slots, the first the value fits wins ("to 3" vs "to prod"). */
  readonly connectors?: Readonly<Record<string, readonly SlotName[]>>;
  /** Pieces the command cannot run without, checked in this order. */
  readonly required: readonly SlotName[];
  /** How to add the environment, quoted in the "needs an environment" message. */
  readonly envHint?: string;
  /** The model must already exist (training creates one, so train does not set this). */
  readonly modelMustExist?: boolean;
}

const DATASET_CONNECTORS = { on: ['dataset'], using: ['dataset'] } as const;

export const COMMAND_GRAMMARS: Readonly<Record<ActionName, CommandGrammar>> = {
  train: {
    action: 'train',
    words: ['train', 'fit', 'retrain'],
    usage: 'train <model> [--dataset <path>] [--epochs N] [--gpus N] [--algorithm softmax|mlp] [--mode full|incremental|finetune] [--base <model>]',
    slots: ['model', 'dataset', 'epochs', 'gpus', 'mode', 'base', 'algorithm'],
    positional: 'model',
    connectors: DATASET_CONNECTORS,
    required: ['model'],
  },
  tune: {
    action: 'tune',
    words: ['tune', 'hpo', 'sweep'],
    usage: 'tune <model> [--dataset <path>] [--trials N] [--method grid|bayes] [--epochs N]',
    slots: ['model', 'dataset', 'trials', 'method', 'epochs'],
    positional: 'model',
    connectors: DATASET_CONNECTORS,
    required: ['model'],
  },
  quantize: {
    action: 'quantize',
    words: ['quantize', 'quantise'],
    usage: 'quantize <model> [v<version>]',
    slots: ['model', 'version'],
    positional: 'model',
    bareNumber: 'version',
    required: ['model'],
    modelMustExist: true,
  },
  curve: {
    action: 'curve',
    words: ['curve', 'curves', 'chart'],
    usage: 'curve <job-id>',
    slots: ['jobId'],
    positional: 'jobId',
    required: ['jobId'],
  },
  evaluate: {
    action: 'evaluate',
    words: ['evaluate', 'eval', 'assess'],
    usage: 'evaluate <model> [v<version>] [on <dataset>]',
    slots: ['model', 'version', 'dataset'],
    positional: 'model',
    bareNumber: 'version',
    connectors: { ...DATASET_CONNECTORS, against: ['dataset'] },
    required: ['model'],
    modelMustExist: true,
  },
  deploy: {
    action: 'deploy',
    words: ['deploy', 'ship', 'release', 'promote'],
    usage: 'deploy <model> [v<version>] to <env>',
    slots: ['model', 'version', 'env'],
    positional: 'model',
    bareNumber: 'version',
    connectors: { to: ['env', 'version'], in: ['env'], on: ['env'], into: ['env'] },
    required: ['model', 'env'],
    envHint: 'to <env>',
    modelMustExist: true,
  },
  rollback: {
    action: 'rollback',
    words: ['rollback', 'roll back', 'roll-back', 'revert'],
    usage: 'rollback <model> in <env> [to v<version>]',
    slots: ['model', 'env', 'version'],
    positional: 'model',
    bareNumber: 'version',
    connectors: { in: ['env'], on: ['env'], from: ['env'], to: ['version', 'env'] },
    required: ['model', 'env'],
    envHint: 'in <env>',
    modelMustExist: true,
  },
  scale: {
    action: 'scale',
    words: ['scale'],
    usage: 'scale <model> in <env> (to N | --min N --max N)',
    slots: ['model', 'env', 'replicas', 'min', 'max'],
    positional: 'model',
    bareNumber: 'replicas',
    connectors: { in: ['env'], on: ['env'], from: ['env'], to: ['replicas', 'env'] },
    required: ['model', 'env'],
    envHint: 'in <env>',
    modelMustExist: true,
  },
  delete: {
    action: 'delete',
    words: ['delete', 'remove'],
    usage: 'delete <model> v<version>',
    slots: ['model', 'version'],
    positional: 'model',
    bareNumber: 'version',
    required: ['model', 'version'],
    modelMustExist: true,
  },
  prune: {
    action: 'prune',
    words: ['prune', 'clean up', 'cleanup'],
    usage: 'prune <model> [--keep N]',
    slots: ['model', 'keep'],
    positional: 'model',
    required: ['model'],
    modelMustExist: true,
  },
  status: {
    action: 'status',
    // "status report" is how people ask for the status, not for the status of a model called "report".
    words: ['status', 'jobs', 'ps', 'status report', 'status update', 'status check'],
    usage: 'status [<job-id> | <model>]',
    slots: ['jobId', 'model'],
    positional: 'jobId',
    positionalMustFit: true,
    otherPositional: 'model',
    required: [],
  },
  cancel: {
    action: 'cancel',
    words: ['cancel', 'stop', 'abort', 'kill'],
    usage: 'cancel <job-id>',
    slots: ['jobId'],
    positional: 'jobId',
    required: ['jobId'],
  },
  audit: {
    action: 'audit',
    // "audit log" is how people say "show me the audit log", not a filter on an action called "log".
    words: ['audit', 'audit log', 'audit history', 'audit trail', 'log', 'history'],
    usage: 'audit [verify] [--user <user>] [--action <action>] [--model <model>] [--since 24h|7d|30m|<date>] [--limit N]',
    slots: ['verify', 'user', 'action', 'model', 'since', 'limit'],
    positional: 'action',
    positionalMustFit: true,
    connectors: { by: ['user'] },
    required: [],
  },
  help: {
    action: 'help',
    words: ['help', '?', 'commands', 'usage'],
    usage: 'help [<command>]',
    slots: ['topic'],
    positional: 'topic',
    required: [],
  },
};

/** The usage line shown in help and in error messages. */
export function usageOf(action: ActionName): string {
  return COMMAND_GRAMMARS[action].usage;
}
