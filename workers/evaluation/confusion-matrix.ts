/** counts[actual][predicted] over `classes` classes. */
export function confusionMatrix(classes: number, actual: readonly number[], predicted: readonly number[]): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const row = counts[actual[i] as number] as number[];
    row[predicted[i] as number] = (row[predicted[i] as number] as number) + 1;
  }
  return counts;
}
