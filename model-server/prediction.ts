/** One text's answer: the class probabilities, in the order of the model's labels, and the most likely one. */
export interface Prediction {
  labelIndex: number;
  probabilities: Float32Array;
}

export function predictionOf(probabilities: Float32Array): Prediction {
  let labelIndex = 0;
  for (let k = 1; k < probabilities.length; k++) if ((probabilities[k] as number) > (probabilities[labelIndex] as number)) labelIndex = k;
  return { labelIndex, probabilities };
}
