/** mulberry32: a small, fast PRNG so that splits and shuffles are reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Splits into train and validation parts, the same way every time for the same seed. */
export function trainValidationSplit<T>(items: readonly T[], validationFraction: number, seed: number): { train: T[]; validation: T[] } {
  const order = shuffled(items, seededRandom(seed));
  const validationSize = Math.max(1, Math.round(order.length * validationFraction));
  return { validation: order.slice(0, validationSize), train: order.slice(validationSize) };
}
