/**
 * A loss for people, the same way in every reply: 4 decimals, or 3 significant digits
 * (3.85e-6) below 0.001, where a separable dataset's losses end up; never "0.0000".
 */
export function formatLoss(loss: number): string {
  return loss !== 0 && Math.abs(loss) < 1e-3 ? loss.toExponential(2) : loss.toFixed(4);
}
