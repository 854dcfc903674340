import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG } from './chart-theme.js';

/** Side of the square grid in chart units; cells shrink as classes grow. */
const GRID_SIZE = 400;

/** counts[actual][predicted] as a heat map, each cell annotated with its count. */
export function confusionMatrixSpec(labels: readonly string[], counts: readonly (readonly number[])[], title: string): TopLevelSpec {
  const cells = labels.flatMap((actual, i) => labels.map((predicted, j) => ({ actual, predicted, count: counts[i]?.[j] ?? 0 })));
  const max = Math.max(0, ...cells.map((cell) => cell.count));
  const fontSize = Math.max(6, Math.min(16, (GRID_SIZE / Math.max(1, labels.length)) * 0.3));
  const axis = (name: 'actual' | 'predicted') => ({ field: name, type: 'ordinal' as const, sort: [...labels], title: name });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: CHART_CONFIG,
    data: { values: cells },
    width: GRID_SIZE,
    height: GRID_SIZE,
    encoding: { x: { ...axis('predicted'), axis: { orient: 'top', labelAngle: -30 } }, y: axis('actual') },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: { color: { field: 'count', type: 'quantitative', title: 'count', scale: { scheme: 'blues', domainMin: 0 } } },
      },
      {
        mark: { type: 'text', fontSize },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          // Dark cells get white text so every count stays legible.
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}
