import { parseSince } from '../relative-time.js';

const DAY = 86_400_000;

/** The instant a since phrase means: "today" and "yesterday" start at UTC midnight, "24h"/"7d" count back from now. */
export function sinceInstant(spec: string, now: number): string | undefined {
  if (spec === 'today') return new Date(Math.floor(now / DAY) * DAY).toISOString();
  if (spec === 'yesterday') return new Date((Math.floor(now / DAY) - 1) * DAY).toISOString();
  return parseSince(spec, now);
}
