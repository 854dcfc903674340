import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoint } from '../../core/index.js';
import { CHART_CONFIG } from './chart-theme.js';

/** The curve keys are the trainer's: `loss`, `accuracy`, and `val_`-prefixed validation values. */
const PANELS = [
  { metric: 'loss', title: 'Loss' },
  { metric: 'accuracy', title: 'Accuracy' },
] as const;
const VALIDATION_PREFIX = 'val_';

interface CurveRow {
  epoch: number;
  metric: string;
  split: 'train' | 'validation';
  value: number;
}

function curveRows(history: readonly CurvePoint[]): CurveRow[] {
  return history.flatMap((point) =>
    PANELS.flatMap(({ metric }) => {
      const rows: CurveRow[] = [];
      const train = point[metric];
      const validation = point[`${VALIDATION_PREFIX}${metric}`];
      if (Number.isFinite(train)) rows.push({ epoch: point.epoch, metric, split: 'train', value: train as number });
      if (Number.isFinite(validation)) rows.push({ epoch: point.epoch, metric, split: 'validation', value: validation as number });
      return rows;
    }),
  );
}

/** Loss and accuracy per epoch side by side, train and validation as two colored lines with one legend. */
export function trainingCurveSpec(history: readonly CurvePoint[], title: string): TopLevelSpec {
  const rows = curveRows(history);
  const panels = PANELS.filter(({ metric }) => rows.some((row) => row.metric === metric));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: { ...CHART_CONFIG, legend: { ...CHART_CONFIG.legend, orient: 'bottom' } },
    data: { values: rows },
    hconcat: (panels.length > 0 ? panels : PANELS).map(({ metric, title: panelTitle }) => ({
      width: 300,
      height: 220,
      title: panelTitle,
      transform: [{ filter: { field: 'metric', equal: metric } }],
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
        color: {
          field: 'split',
          type: 'nominal',
          title: null,
          scale: { domain: ['train', 'validation'], range: ['#1f77b4', '#ff7f0e'] },
        },
      },
    })),
    resolve: { scale: { y: 'independent' } },
  };
}
