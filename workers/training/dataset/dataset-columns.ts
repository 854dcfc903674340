import { PermanentJobError } from '../../../core/index.js';

export interface DatasetColumns {
  text: string;
  label: string;
  split?: string;
}

/** Names people give these columns; used only when exactly one of them is present (README, "Datasets"). */
export const TEXT_NAMES = ['text', 'sentence', 'content', 'message', 'body', 'document', 'review', 'comment', 'utterance'];
export const LABEL_NAMES = ['label', 'class', 'category', 'target', 'intent', 'sentiment', 'y'];

/** The text or label column is missing; `problem` says which, without the "dataset <path>" lead-in, so it can be joined with others. */
export class MissingColumnsError extends PermanentJobError {
  constructor(
    path: string,
    readonly problem: string,
  ) {
    super(`dataset ${path} ${problem}`);
  }
}
const SPLIT_COLUMN_NAMES = ['split'];

function pick(role: string, names: readonly string[], columns: readonly string[], path: string): string | undefined {
  const byName = new Map(columns.map((column) => [column.trim().toLowerCase(), column]));
  const exact = byName.get(names[0] as string);
  if (exact !== undefined) return exact;
  const found = names.flatMap((name) => {
    const column = byName.get(name);
    return column === undefined ? [] : [column];
  });
  if (found.length > 1) {
    throw new PermanentJobError(
      `dataset ${path}: columns ${found.map((c) => `"${c}"`).join(' and ')} could each be the ${role} column; rename the one to use to "${names[0]}"`,
    );
  }
  return found[0];
}

/**
 * Finds the text, label and optional split columns: `text`, `label` and `split`, or a
 * common alternative (`sentence`, `class`, …) when only one candidate is present.
 */
export function resolveColumns(columns: readonly string[], path: string): DatasetColumns {
  const text = pick('text', TEXT_NAMES, columns, path);
  const label = pick('label', LABEL_NAMES, columns, path);
  if (text === undefined || label === undefined) {
    const missing = [text === undefined ? TEXT_NAMES : [], label === undefined ? LABEL_NAMES : []]
      .filter((names) => names.length > 0)
      .map(([name, ...others]) => `"${name}" (nor ${others.join(', ')})`)
      .join(' and no ');
    throw new MissingColumnsError(path, `has no ${missing} column; its columns are: ${columns.join(', ') || '(none)'}`);
  }
  const split = pick('split', SPLIT_COLUMN_NAMES, columns, path);
  return split === undefined ? { text, label } : { text, label, split };
}

/** Which columns were taken, for progress and replies, when they are not plainly "text" and "label": `text column "review", label column "sentiment"`. */
export function describeColumns(columns: DatasetColumns): string | undefined {
  if (columns.text === 'text' && columns.label === 'label') return undefined;
  return `text column "${columns.text}", label column "${columns.label}"`;
}
