import type { z } from 'zod';
import { ACTION_NAMES, buildActionSchemas, type ActionLimits, type ActionName } from '../../core/index.js';
import { usageOf } from '../command-grammar.js';

/** What each tool does, for the LLM; the usage line adds the exact grammar. */
const PURPOSE: Readonly<Record<ActionName, string>> = {
  train: 'Train (or retrain) a text classification model on a dataset file.',
  tune: 'Search hyperparameters for a model (several training trials).',
  evaluate: 'Score a model version on a dataset and compare it with the deployed one.',
  quantize: 'Make an INT8 (smaller, faster) copy of a model version.',
  deploy: 'Deploy (ship, release, promote) a model version to an environment.',
  rollback: 'Roll a model in an environment back to an earlier version (revert, restore the old one).',
  scale: 'Set how many replicas of a model run in an environment, or an autoscaling min/max.',
  delete: 'Delete one version of a model.',
  prune: 'Delete old versions of a model, keeping the newest ones.',
  status: 'Show running and queued jobs, one job, or where a model is deployed.',
  curve: 'Plot the loss curve of a training job.',
  cancel: 'Cancel a queued or running job.',
  audit: 'Show or verify the audit log of what was done.',
  help: 'Explain the commands, or one command.',
};

/** A tool as LangChain's bindTools takes it: name, description, zod schema of its arguments. */
export interface ActionTool {
  readonly name: ActionName;
  readonly description: string;
  readonly schema: z.ZodType;
}

/**
 * One tool per action, its parameters the action's own zod argument schema (the same one every
 * command is validated with), so a tool call is an action in all but name.
 */
export function actionTools(limits: ActionLimits): ActionTool[] {
  const schemas = buildActionSchemas(limits);
  return ACTION_NAMES.map((name) => ({
    name,
    description: `${PURPOSE[name]} Usage: ${usageOf(name)}`,
    schema: schemas[name].shape.args,
  }));
}
