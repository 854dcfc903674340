import type { DatasetSplit } from './dataset-split.js';

/** Examples per label in each split. */
export type ClassBalance = Record<string, { train: number; validation: number; test: number }>;

export function classBalance(split: DatasetSplit, labels: readonly string[]): ClassBalance {
  const balance: ClassBalance = Object.fromEntries(labels.map((label) => [label, { train: 0, validation: 0, test: 0 }]));
  for (const name of ['train', 'validation', 'test'] as const) {
    for (const example of split[name]) {
      const counts = (balance[example.label] ??= { train: 0, validation: 0, test: 0 });
      counts[name]++;
    }
  }
  return balance;
}

/** "ham 4150 (68.6%), spam 1896 (31.4%)": totals over all splits. */
export function formatClassBalance(balance: ClassBalance): string {
  const totals = Object.entries(balance).map(([label, c]) => [label, c.train + c.validation + c.test] as const);
  const all = totals.reduce((sum, [, n]) => sum + n, 0) || 1;
  return totals.map(([label, n]) => `${label} ${n} (${((100 * n) / all).toFixed(1)}%)`).join(', ');
}
