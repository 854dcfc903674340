import type { ActionName } from '../../core/index.js';
import type { ValidateAction } from '../action-validators.js';
import { COMMAND_GRAMMARS } from '../command-grammar.js';
import { issueMessages } from '../issue-messages.js';
import { listWithOr } from '../message-text.js';
import type { ArgValue } from '../normalize-slots.js';
import type { SlotName } from '../slots.js';
import { resolveRelativeReplicas, type ArgsContext, type Correction } from './args-for-intent.js';
import { formatCommand } from './format-command.js';
import type { RelativeReplicas } from './slot-reader.js';
import type { Choice, PartialAction, Understanding, UnderstandingSource } from './understanding.js';

export interface CompletionWorld {
  readonly validators: Readonly<Record<ActionName, ValidateAction>>;
  readonly environments: readonly string[];
  readonly knownModels: readonly string[];
  /** For a change of replicas ("one more replica") whose environment is asked first. */
  readonly currentReplicas?: ArgsContext['currentReplicas'];
}

export interface CompletionInput {
  readonly action: ActionName;
  readonly args: Partial<Record<SlotName, ArgValue>>;
  readonly confidence: number;
  readonly source: UnderstandingSource;
  readonly ambiguous?: Partial<Record<'model' | 'env', string[]>>;
  readonly corrections?: readonly Correction[];
  readonly note?: string;
  /** A change of the replica count said before the model or environment was known. */
  readonly relative?: RelativeReplicas;
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
  const { action, confidence, source } = input;
  const { args, relative, note } = withRelativeResolved(action, input.args, input.relative, world);
  const partial: PartialAction = { action, args, ...(relative ? { relative } : {}) };
  const ambiguousSlot = (['model', 'env'] as const).find((slot) => (input.ambiguous?.[slot]?.length ?? 0) > 1);
  if (ambiguousSlot !== undefined) {
    const values = input.ambiguous![ambiguousSlot]!;
    const missing = [ambiguousSlot, ...missingSlots(action, args).filter((s) => s !== ambiguousSlot && !(relative && s === 'replicas'))];
    return {
      kind: 'clarify',
      reason: 'ambiguous',
      question: `Which ${ambiguousSlot === 'env' ? 'environment' : 'model'} do you mean: ${listWithOr(values)}?`,
      choices: choicesFor(action, args, ambiguousSlot, values, relative, world),
      partial,
      missing,
      ambiguous: { [ambiguousSlot]: values },
      confidence,
      source,
    };
  }
  // A pending change of replicas is the count, once the model and environment are known.
  const missing = missingSlots(action, args).filter((slot) => !(relative && slot === 'replicas'));
  if (missing.length > 0) {
    const slot = missing[0]!;
    const candidates = slot === 'env' ? world.environments : slot === 'model' ? world.knownModels.slice(0, MAX_CHOICES) : [];
    return {
      kind: 'clarify',
      reason: 'missing',
      question: questionFor(action, slot, world, note ?? input.note),
      choices: choicesFor(action, args, slot, candidates, relative, world),
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

/** Each button's command is whole: "one more replica for churn" asks which environment, and [prod] scales to prod's count plus one. */
function choicesFor(
  action: ActionName,
  args: Partial<Record<SlotName, ArgValue>>,
  slot: SlotName,
  values: readonly string[],
  relative: RelativeReplicas | undefined,
  world: CompletionWorld,
): Choice[] {
  return values.slice(0, MAX_CHOICES).map((value) => ({
    label: value,
    command: formatCommand(action, withRelativeResolved(action, { ...args, [slot]: value }, relative, world).args),
  }));
}

/** Applies a pending change of replicas once the model and environment are known, when the count there is. */
function withRelativeResolved(
  action: ActionName,
  args: Partial<Record<SlotName, ArgValue>>,
  relative: RelativeReplicas | undefined,
  world: CompletionWorld,
): { args: Partial<Record<SlotName, ArgValue>>; relative?: RelativeReplicas; note?: string } {
  if (relative === undefined || action !== 'scale' || args.replicas !== undefined || args.min !== undefined || args.max !== undefined) return { args };
  if (typeof args.model !== 'string' || typeof args.env !== 'string') return { args, relative };
  const resolved = resolveRelativeReplicas(relative, args.model, args.env, world.currentReplicas);
  return typeof resolved === 'number' ? { args: { ...args, replicas: resolved } } : { args, note: resolved.note };
}
