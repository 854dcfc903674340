/** One text's answer: the class probabilities, in the order of the model's labels, and the most likely one. */
export interface Prediction {
  labelIndex: number;
  probabilities: Float32Array;
  /**
   * Its V1 JSON, written once on first use (see v1-prediction-json.ts): a cached prediction is
   * answered many times, and serialising it again each time was most of a cache hit's JSON cost.
   */
  v1Json?: string;
}

export function predictionOf(probabilities: Float32Array): Prediction {
  let labelIndex = 0;
  for (let k = 1; k < probabilities.length; k++) if ((probabilities[k] as number) > (probabilities[labelIndex] as number)) labelIndex = k;
  return { labelIndex, probabilities, v1Json: undefined };
}
