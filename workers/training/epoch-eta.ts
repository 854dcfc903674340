/** "45 s", "3 min 20 s", "1 h 5 min": a time left, to the precision a person reads it. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * The time a training run has left, from the pace of its epochs so far. Its clock
 * starts at the last `mark` before the first epoch, so loading and featurising do not
 * count as epoch time. Early stopping can end a run sooner than estimated.
 */
export class EpochEta {
  private fitStartedAt: number;
  private started = false;

  constructor(private readonly now: () => number = Date.now) {
    this.fitStartedAt = now();
  }

  /** Something happened before the first epoch (a stage): epochs are timed from here. */
  mark(): void {
    if (!this.started) this.fitStartedAt = this.now();
  }

  /** "ETA 40 s" after epoch `epoch` of `epochs`; undefined once the last epoch is done. */
  after(epoch: number, epochs: number): string | undefined {
    this.started = true;
    if (epoch <= 0 || epoch >= epochs) return undefined;
    const perEpoch = (this.now() - this.fitStartedAt) / epoch;
    return `ETA ${formatDuration(perEpoch * (epochs - epoch))}`;
  }
}
