/** A loss for people: 4 decimals, or 3 significant digits below 0.001, where a separable dataset's losses end up. */
export function formatLoss(loss: number): string {
  return loss !== 0 && Math.abs(loss) < 1e-3 ? loss.toExponential(2) : loss.toFixed(4);
}
