import type { CurvePoint } from '../store/job-store.port.js';

/** Renders charts as PNG bytes for the channel; the implementation lives outside core. */
export interface ChartRenderer {
  /** Loss and accuracy per epoch, train vs validation. */
  trainingCurve(history: readonly CurvePoint[], title: string): Promise<Uint8Array>;
  /** counts[actual][predicted] as a heat map. */
  confusionMatrix(labels: readonly string[], counts: readonly (readonly number[])[], title: string): Promise<Uint8Array>;
}
