import type { SearchPoint } from './search-space.js';

/** A finished trial as a search strategy sees it: where it was, and the loss it reached (lower is better). */
export interface Observation {
  point: SearchPoint;
  /** Infinity for a trial that failed, so the search learns to avoid where it was. */
  loss: number;
}
