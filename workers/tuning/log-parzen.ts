import { standardNormal, standardNormalCdf, standardNormalLogPdf } from './normal-distribution.js';
import type { ParzenEstimator } from './parzen-estimator.js';
import { clampTo } from './random-point.js';
import type { LogUniformDimension, ParamValue } from './search-space.js';

/** A draw outside the bounds is redrawn this many times before it is clamped. */
const MAX_REDRAWS = 64;
/** Kernels never get narrower than the range over this (or over 1 + kernels, if fewer). */
const MAX_SHARPNESS = 100;
const BOUND_SLACK = 1e-9;

interface Kernel {
  mu: number;
  sigma: number;
  /** log of the kernel's mass inside the bounds, to renormalise the truncated kernel. */
  logMass: number;
}

function logSumExp(terms: readonly number[]): number {
  const top = Math.max(...terms);
  if (top === -Infinity) return -Infinity;
  return top + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - top), 0));
}

/**
 * Gaussian kernels on log(value), truncated to the dimension's bounds: one per observed
 * value plus a wide prior kernel at the centre, so the density never collapses onto a
 * few trials. Each kernel is as wide as the larger gap to its sorted neighbours
 * (hyperopt's adaptive Parzen rule): wide where trials are sparse, narrow where dense.
 */
export function fitLogParzen(dimension: LogUniformDimension, values: readonly number[]): ParzenEstimator {
  const low = Math.log(dimension.low);
  const high = Math.log(dimension.high);
  const span = high - low;
  const centres = [...values.map((v) => ({ mu: Math.log(v), isPrior: false })), { mu: (low + high) / 2, isPrior: true }].sort((a, b) => a.mu - b.mu);
  const minSigma = span / Math.min(MAX_SHARPNESS, centres.length + 1);
  const kernels: Kernel[] = centres.map(({ mu, isPrior }, i) => {
    const gap = Math.max(mu - (centres[i - 1]?.mu ?? low), (centres[i + 1]?.mu ?? high) - mu);
    const sigma = isPrior ? span : Math.min(span, Math.max(minSigma, gap));
    const mass = standardNormalCdf((high - mu) / sigma) - standardNormalCdf((low - mu) / sigma);
    return { mu, sigma, logMass: Math.log(mass) };
  });
  const logWeight = -Math.log(kernels.length);

  return {
    sample: (random) => {
      const kernel = kernels[Math.floor(random() * kernels.length)] as Kernel;
      let x = kernel.mu + kernel.sigma * standardNormal(random);
      for (let i = 0; i < MAX_REDRAWS && (x < low || x > high); i++) x = kernel.mu + kernel.sigma * standardNormal(random);
      return clampTo(dimension, Math.exp(x));
    },
    logDensity: (value: ParamValue) => {
      const raw = Math.log(value as number);
      // exp then log can land an ulp past a bound; that is still the bound.
      if (!(raw >= low - BOUND_SLACK && raw <= high + BOUND_SLACK)) return -Infinity;
      const x = Math.min(high, Math.max(low, raw));
      return logSumExp(kernels.map((k) => logWeight + standardNormalLogPdf((x - k.mu) / k.sigma) - Math.log(k.sigma) - k.logMass));
    },
  };
}
