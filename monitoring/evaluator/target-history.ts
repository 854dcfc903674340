import type { Sample } from '../exposition.js';

interface Scrape {
  at: number;
  series: Map<string, Sample>;
}

/** A series' identity: its name and every label, in order. */
function seriesKey(sample: Sample): string {
  return `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => a.localeCompare(b)))}`;
}

/**
 * The recent scrapes of one target (a router's /metrics), enough for rate() over the evaluator's window. As PromQL's
 * rate(): every series with two samples in the window counts, including one the target stopped showing (the old colour
 * just after a promotion), so a switch neither drops nor doubles the traffic; a counter that goes down restarted (a
 * replica restarted), so its new value is all increase; the increase is divided by the time between the series' first
 * and last sample (no extrapolation). A failed scrape is recorded empty, so gauges go stale as Prometheus marks them.
 */
export class TargetHistory {
  private scrapes: Scrape[] = [];
  /** Every series' rate at one instant: the rules of a tick all ask for the same window at the same time. */
  private computed?: { now: number; windowMs: number; count: number; rates: Array<{ sample: Sample; perSecond: number }> };

  constructor(private readonly keepMs: number) {}

  /** The page's samples at `at` (when it arrived); `undefined`: the scrape failed. */
  record(at: number, samples: readonly Sample[] | undefined): void {
    this.scrapes.push({ at, series: new Map((samples ?? []).map((sample) => [seriesKey(sample), sample])) });
    while (this.scrapes.length > 2 && (this.scrapes[0] as Scrape).at < at - this.keepMs) this.scrapes.shift();
  }

  /** Per second increase over the scrapes in (now − windowMs, now] of each series `select` accepts. */
  rates(select: (sample: Sample) => boolean, windowMs: number, now: number): Array<{ sample: Sample; perSecond: number }> {
    const cached = this.computed;
    if (!cached || cached.now !== now || cached.windowMs !== windowMs || cached.count !== this.scrapes.length) {
      this.computed = { now, windowMs, count: this.scrapes.length, rates: this.allRates(windowMs, now) };
    }
    return this.computed!.rates.filter((rate) => select(rate.sample));
  }

  private allRates(windowMs: number, now: number): Array<{ sample: Sample; perSecond: number }> {
    const inWindow = this.scrapes.filter((scrape) => scrape.at > now - windowMs && scrape.at <= now);
    if (inWindow.length < 2) return [];
    const selected = new Map<string, Sample>();
    for (const scrape of inWindow) for (const [key, sample] of scrape.series) if (!selected.has(key)) selected.set(key, sample);
    const out: Array<{ sample: Sample; perSecond: number }> = [];
    for (const [key, sample] of selected) {
      let first: number | undefined;
      let last: number | undefined;
      let previous: number | undefined;
      let increase = 0;
      for (const scrape of inWindow) {
        const value = scrape.series.get(key)?.value;
        if (value === undefined) continue;
        if (previous !== undefined) increase += value >= previous ? value - previous : value;
        else first = scrape.at;
        previous = value;
        last = scrape.at;
      }
      const seconds = ((last as number) - (first as number)) / 1000;
      if (seconds > 0) out.push({ sample, perSecond: increase / seconds });
    }
    return out;
  }

  /** The latest scrape's series `select` accepts, if that scrape is within `windowMs` (none after a failed scrape). */
  latest(select: (sample: Sample) => boolean, windowMs: number, now: number): Sample[] {
    const last = this.scrapes[this.scrapes.length - 1];
    if (!last || last.at <= now - windowMs) return [];
    return [...last.series.values()].filter(select);
  }
}
