import type { ParamValue } from './search-space.js';

/** A density over one dimension, fitted to the values some trials took (TPE's l(x) or g(x)). */
export interface ParzenEstimator {
  sample(random: () => number): ParamValue;
  logDensity(value: ParamValue): number;
}
