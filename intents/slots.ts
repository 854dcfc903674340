/** Every argument a command may carry; the names are the fixed argument keys of `Action`. */
export type SlotName =
  | 'model'
  | 'version'
  | 'env'
  | 'dataset'
  | 'epochs'
  | 'gpus'
  | 'replicas'
  | 'min'
  | 'max'
  | 'jobId'
  | 'user'
  | 'action'
  | 'since'
  | 'limit'
  | 'verify'
  | 'topic'
  | 'mode'
  | 'base'
  | 'algorithm'
  | 'trials'
  | 'method'
  | 'keep';

/** How a slot's words become a value; each kind has one normalizer. */
export type SlotKind = 'model' | 'version' | 'env' | 'text' | 'count' | 'jobId' | 'since' | 'command' | 'switch';

export interface SlotSpec {
  readonly kind: SlotKind;
  /** How messages name the slot: "environment is given twice". */
  readonly label: string;
  /** A sample value for "needs a value, e.g. --epochs 5". */
  readonly example: string;
  /** Words naming the slot as `--key`, `key=value` or `key value` (lower case). */
  readonly keys: readonly string[];
  /** Words that may follow a number to name the slot: "5 epochs". */
  readonly units?: readonly string[];
}

export const SLOTS: Readonly<Record<SlotName, SlotSpec>> = {
  model: { kind: 'model', label: 'model', example: 'sentiment', keys: ['model'] },
  version: { kind: 'version', label: 'version', example: 'v3', keys: ['version', 'v', 'ver'] },
  env: { kind: 'env', label: 'environment', example: 'staging', keys: ['env', 'environment'] },
  dataset: { kind: 'text', label: 'dataset', example: 'data/train.csv', keys: ['dataset', 'data'] },
  epochs: { kind: 'count', label: 'epochs', example: '5', keys: ['epochs', 'epoch'], units: ['epochs', 'epoch'] },
  gpus: { kind: 'count', label: 'gpus', example: '1', keys: ['gpus', 'gpu'], units: ['gpus', 'gpu'] },
  replicas: { kind: 'count', label: 'replicas', example: '3', keys: ['replicas', 'replica'], units: ['replicas', 'replica'] },
  min: { kind: 'count', label: 'min', example: '2', keys: ['min', 'min-replicas'] },
  max: { kind: 'count', label: 'max', example: '8', keys: ['max', 'max-replicas'] },
  jobId: { kind: 'jobId', label: 'job id', example: 'j-4f9k2a7q', keys: ['job', 'job-id', 'jobid', 'id'] },
  user: { kind: 'text', label: 'user', example: 'alice', keys: ['user'] },
  action: { kind: 'command', label: 'action', example: 'deploy', keys: ['action'] },
  since: { kind: 'since', label: 'since', example: '24h', keys: ['since'] },
  limit: { kind: 'count', label: 'limit', example: '20', keys: ['limit'] },
  verify: { kind: 'switch', label: 'verify', example: '', keys: ['verify'] },
  topic: { kind: 'command', label: 'help topic', example: 'deploy', keys: ['topic'] },
  mode: { kind: 'text', label: 'mode', example: 'incremental', keys: ['mode'] },
  base: { kind: 'model', label: 'base model', example: 'sentiment', keys: ['base', 'from'] },
  algorithm: { kind: 'text', label: 'algorithm', example: 'mlp', keys: ['algorithm', 'algo'] },
  trials: { kind: 'count', label: 'trials', example: '8', keys: ['trials'], units: ['trials', 'trial'] },
  method: { kind: 'text', label: 'method', example: 'bayes', keys: ['method', 'search'] },
  keep: { kind: 'count', label: 'keep', example: '3', keys: ['keep'], units: ['versions', 'version'] },
};

/** A whole number as typed, or the signed/decimal forms the schema rejects with its own message. */
export const NUMBER_SHAPE = /^-?\d+(\.\d+)?$/;

/** v3, 3, latest, previous — anything that reads as a version. */
export const VERSION_SHAPE = /^(v?\d+|latest|previous)$/i;
