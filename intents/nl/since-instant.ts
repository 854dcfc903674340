import { parseSince } from '../relative-time.js';

const DAY = 86_400_000;
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/**
 * The instant a since phrase means: "today" and "yesterday" start at UTC midnight, a weekday at the
 * midnight of the last such day before today ("since friday" said on a Monday: three days back), "24h"/"7d"
 * count back from now.
 */
export function sinceInstant(spec: string, now: number): string | undefined {
  const today = Math.floor(now / DAY);
  if (spec === 'today') return new Date(today * DAY).toISOString();
  if (spec === 'yesterday') return new Date((today - 1) * DAY).toISOString();
  const weekday = (WEEKDAYS as readonly string[]).indexOf(spec);
  if (weekday >= 0) {
    const back = (new Date(today * DAY).getUTCDay() - weekday + 7) % 7 || 7;
    return new Date((today - back) * DAY).toISOString();
  }
  return parseSince(spec, now);
}
