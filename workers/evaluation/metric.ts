/**
 * A metric value, or the reason it is undefined for this data (a class never predicted,
 * a single class in the data…). Replies show the reason instead of a NaN.
 */
export type Metric = { defined: true; value: number } | { defined: false; reason: string };

export function notAvailable(reason: string): Metric {
  return { defined: false, reason };
}

/** Wraps a computed value; anything not finite becomes n/a, so a NaN can never reach a reply. */
export function metric(value: number): Metric {
  return Number.isFinite(value) ? { defined: true, value } : notAvailable('not a finite number');
}

/** `numerator / denominator`, or n/a with `reason` when the denominator is 0. */
export function ratio(numerator: number, denominator: number, reason: string): Metric {
  return denominator === 0 ? notAvailable(reason) : metric(numerator / denominator);
}

/** The value, or 0 for an undefined metric (scikit-learn's `zero_division=0`), for averaging. */
export function valueOrZero(m: Metric): number {
  return m.defined ? m.value : 0;
}
