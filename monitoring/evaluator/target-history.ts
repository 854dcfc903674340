import type { Sample } from './exposition-samples.js';

interface Scrape {
  at: number;
  series: Map<string, Sample>;
}

/** A series' identity: its name and every label, in order. */
function seriesKey(sample: Sample): string {
  return `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b)))}`;
}

/**
 * The recent scrapes of one target (a router's /metrics), enough for rate() over the evaluator's window. Like PromQL's
 * rate(): a counter that goes down restarted (a replica restarted), so the new value is all increase; a series needs two
 * samples in the window; the increase is divided by the time between its first and last sample (no extrapolation).
 */
export class TargetHistory {
  private scrapes: Scrape[] = [];

  constructor(private readonly keepMs: number) {}

  record(at: number, samples: readonly Sample[]): void {
    this.scrapes.push({ at, series: new Map(samples.map((sample) => [seriesKey(sample), sample])) });
    while (this.scrapes.length > 2 && (this.scrapes[0] as Scrape).at < at - this.keepMs) this.scrapes.shift();
  }

  /** Per second increase over the scrapes in (now − windowMs, now] of each series `select` accepts. */
  rates(select: (sample: Sample) => boolean, windowMs: number, now: number): Array<{ sample: Sample; perSecond: number }> {
    const inWindow = this.scrapes.filter((scrape) => scrape.at > now - windowMs && scrape.at <= now);
    const last = inWindow[inWindow.length - 1];
    if (!last || inWindow.length < 2) return [];
    const out: Array<{ sample: Sample; perSecond: number }> = [];
    for (const [key, sample] of last.series) {
      if (!select(sample)) continue;
      let first: number | undefined;
      let previous: number | undefined;
      let increase = 0;
      for (const scrape of inWindow) {
        const value = scrape.series.get(key)?.value;
        if (value === undefined) continue;
        if (previous !== undefined) increase += value >= previous ? value - previous : value;
        else first = scrape.at;
        previous = value;
      }
      const seconds = (last.at - (first as number)) / 1000;
      if (seconds > 0) out.push({ sample, perSecond: increase / seconds });
    }
    return out;
  }

  /** The latest scrape's series `select` accepts, if that scrape is within `windowMs`. */
  latest(select: (sample: Sample) => boolean, windowMs: number, now: number): Sample[] {
    const last = this.scrapes[this.scrapes.length - 1];
    if (!last || last.at <= now - windowMs) return [];
    return [...last.series.values()].filter(select);
  }
}
