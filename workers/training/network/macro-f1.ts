/** Unweighted mean of per-class F1 over `classes` classes; a class never predicted nor present scores 0. */
export function macroF1(targets: Int32Array, predictions: Int32Array, classes: number): number {
  const truePositives = new Float64Array(classes);
  const predicted = new Float64Array(classes);
  const actual = new Float64Array(classes);
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i] as number;
    const prediction = predictions[i] as number;
    actual[target] = (actual[target] as number) + 1;
    predicted[prediction] = (predicted[prediction] as number) + 1;
    if (target === prediction) truePositives[target] = (truePositives[target] as number) + 1;
  }
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    const denominator = (predicted[c] as number) + (actual[c] as number);
    sum += denominator === 0 ? 0 : (2 * (truePositives[c] as number)) / denominator;
  }
  return classes === 0 ? 0 : sum / classes;
}
