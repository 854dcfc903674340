import type { ActionName } from '../../core/index.js';
import type { ValidateAction } from '../action-validators.js';
import { COMMAND_GRAMMARS } from '../command-grammar.js';
import { issueMessages } from '../issue-messages.js';
import { listWithOr } from '../message-text.js';
import type { ArgValue } from '../normalize-slots.js';
import type { SlotName } from '../slots.js';
import type { Correction } from './args-for-intent.js';
import { formatCommand } from './format-command.js';
import type { Choice, Understanding, UnderstandingSource } from './understanding.js';

export interface CompletionWorld {
  readonly validators: Readonly<Record<ActionName, ValidateAction>>;
  readonly environments: readonly string[];
  readonly knownModels: readonly string[];
}

export interface CompletionInput {
  readonly action: ActionName;
  readonly args: Partial<Record<SlotName, ArgValue>>;
  readonly confidence: number;
  readonly source: UnderstandingSource;
  readonly ambiguous?: Partial<Record<'model' | 'env', string[]>>;
  readonly corrections?: readonly Correction[];
  readonly note?: string;
}

/** Most buttons a question offers: enough for the likely answers, few enough to read. */
const MAX_CHOICES = 5;

/** Required pieces an action lacks, in asking order; scale also needs a count or a range. */
export function missingSlots(action: ActionName, args: Partial<Record<SlotName, ArgValue>>): SlotName[] {
  const missing = COMMAND_GRAMMARS[action].required.filter((slot) => args[slot] === undefined);
  if (action === 'scale' && args.replicas === undefined && args.min === undefined && args.max === undefined) missing.push('replicas');
  return missing;
}

/**
 * Turns what was understood into the answer: a question when a piece is ambiguous or missing
 * (the environment is never guessed), the validation message when a value breaks a rule, or
 * the validated action with the command it runs as.
 */
export function completeAction(input: CompletionInput, world: CompletionWorld): Understanding {
  const { action, args, confidence, source } = input;
  const partial = { action, args };
  const ambiguousSlot = (['model', 'env'] as const).find((slot) => (input.ambiguous?.[slot]?.length ?? 0) > 1);
  if (ambiguousSlot !== undefined) {
    const values = input.ambiguous![ambiguousSlot]!;
    const missing = [ambiguousSlot, ...missingSlots(action, args).filter((s) => s !== ambiguousSlot)];
    return {
      kind: 'clarify',
      reason: 'ambiguous',
      question: `Which ${ambiguousSlot === 'env' ? 'environment' : 'model'} do you mean: ${listWithOr(values)}?`,
      choices: choicesFor(action, args, ambiguousSlot, values),
      partial,
      missing,
      ambiguous: { [ambiguousSlot]: values },
      confidence,
      source,
    };
  }
  const missing = missingSlots(action, args);
  if (missing.length > 0) {
    const slot = missing[0]!;
    const candidates = slot === 'env' ? world.environments : slot === 'model' ? world.knownModels.slice(0, MAX_CHOICES) : [];
    return {
      kind: 'clarify',
      reason: 'missing',
      question: questionFor(action, slot, world, input.note),
      choices: choicesFor(action, args, slot, candidates),
      partial,
      missing,
      confidence,
      source,
    };
  }
  const result = world.validators[action]({ action, args });
  if (!result.success) return { kind: 'invalid', message: issueMessages(result.error.issues, {}), partial, confidence, source };
  return { kind: 'action', action: result.data, confidence, source, command: formatCommand(action, result.data.args as Record<string, ArgValue>), corrections: input.corrections ?? [] };
}

function questionFor(action: ActionName, slot: SlotName, world: CompletionWorld, note: string | undefined): string {
  switch (slot) {
    case 'env':
      return `Which environment should I ${action === 'rollback' ? 'roll back' : action} in: ${listWithOr(world.environments)}?`;
    case 'model':
      return `Which model should I ${action === 'rollback' ? 'roll back' : action}?`;
    case 'jobId':
      return `Which job? Give its id, such as j-4f9k2a7q (\`status\` lists them).`;
    case 'replicas':
      return `${note ? `${note}: h` : 'H'}ow many replicas?`;
    case 'version':
      return 'Which version?';
    default:
      return `What ${slot}?`;
  }
}

function choicesFor(action: ActionName, args: Partial<Record<SlotName, ArgValue>>, slot: SlotName, values: readonly string[]): Choice[] {
  return values.slice(0, MAX_CHOICES).map((value) => ({ label: value, command: formatCommand(action, { ...args, [slot]: value }) }));
}
