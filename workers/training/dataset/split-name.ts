export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

const ALIASES: Record<string, SplitName> = {
  train: 'train',
  training: 'train',
  validation: 'validation',
  valid: 'validation',
  val: 'validation',
  dev: 'validation',
  test: 'test',
  testing: 'test',
};

/** A split column value, case-insensitive, with the usual abbreviations; undefined when unknown. */
export function parseSplitName(value: string): SplitName | undefined {
  return ALIASES[value.trim().toLowerCase()];
}
