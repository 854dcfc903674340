import { z } from 'zod';

/** Longer than any command a person types; a card click carrying more is not one of ours. */
const MAX_COMMAND_CHARS = 2000;

const commandSchema = z.string().trim().min(1).max(MAX_COMMAND_CHARS);

/** A button's Action.Submit data: the command it stands for. */
const buttonDataSchema = z.looseObject({ command: commandSchema });

/** A select's Run button: `choice` names the Input.ChoiceSet whose value is the command. */
const choiceDataSchema = z.looseObject({ choice: z.string().regex(/^opsbot-choice-\d{1,4}$/) });

/** The value of an `adaptiveCard/action` invoke (Action.Execute, Universal Actions). */
export const cardActionInvokeSchema = z.looseObject({
  action: z.looseObject({
    type: z.literal('Action.Execute'),
    verb: z.string().nullish(),
    data: z.unknown().optional(),
  }),
});

/** The command a card's submitted data asks for, or undefined when the data is not from an opsbot card. */
export function commandFromCardData(data: unknown): string | undefined {
  const button = buttonDataSchema.safeParse(data);
  if (button.success) return button.data.command;
  const choice = choiceDataSchema.safeParse(data);
  if (!choice.success) return undefined;
  const chosen = commandSchema.safeParse(choice.data[choice.data.choice]);
  return chosen.success ? chosen.data : undefined;
}
