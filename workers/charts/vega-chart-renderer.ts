import type { ChartRenderer, CurvePoint } from '../../core/index.js';
import { confusionMatrixSpec } from './confusion-matrix-spec.js';
import { renderPng, type CanvasSize } from './render-png.js';
import { trainingCurveSpec } from './training-curve-spec.js';

/** Fixed pixel sizes (about twice the charts' natural size, for sharp text on high-density screens). */
export const TRAINING_CURVE_SIZE: CanvasSize = { width: 1200, height: 600 };
export const CONFUSION_MATRIX_SIZE: CanvasSize = { width: 1000, height: 1000 };

/** Charts as PNG: vega-lite → vega → SVG → resvg, all in-process with no native download or browser. */
export class VegaChartRenderer implements ChartRenderer {
  trainingCurve(history: readonly CurvePoint[], title: string): Promise<Uint8Array> {
    return renderPng(trainingCurveSpec(history, title), TRAINING_CURVE_SIZE);
  }

  confusionMatrix(labels: readonly string[], counts: readonly (readonly number[])[], title: string): Promise<Uint8Array> {
    return renderPng(confusionMatrixSpec(labels, counts, title), CONFUSION_MATRIX_SIZE);
  }
}
