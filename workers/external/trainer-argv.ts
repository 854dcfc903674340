import { splitCommandLine } from '../../core/config/command-line.js';
import { PLACEHOLDER_PATTERN, type TrainerPlaceholder } from '../../core/config/external-trainer.schema.js';

/**
 * The argv of one run: the template is split into words first and each word's
 * placeholders are replaced afterwards, so a value — spaces, quotes, `;` and all —
 * stays inside the one argument it was written in, and no shell ever sees it.
 */
export function trainerArgv(command: string, values: Record<TrainerPlaceholder, string>): string[] {
  return splitCommandLine(command).map((word) =>
    word.replace(PLACEHOLDER_PATTERN, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as TrainerPlaceholder] : whole)),
  );
}
