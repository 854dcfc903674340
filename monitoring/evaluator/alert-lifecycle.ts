import type { Verdict } from './rule-verdict.js';

/** Where one rule stands for one model and environment. */
export type AlertPhase =
  | { kind: 'inactive' }
  | { kind: 'pending'; activeSince: number }
  | { kind: 'firing'; activeSince: number; firingSince: number; clearSince?: number };

export interface LifecycleStep {
  phase: AlertPhase;
  event?: 'fired' | 'resolved';
}

/**
 * One evaluation. An alert fires once its condition held at every evaluation for the whole period (a miss or a gap in
 * the data starts the period again, as Prometheus' `for:` does). A firing alert resolves once its value stayed clear
 * — past the hysteresis band — for the same period; a value in the band, or no data (a server restarting), keeps it
 * firing, so an alert is never lost to a blip.
 */
export function nextPhase(phase: AlertPhase, verdict: Verdict, now: number, periodMs: number): LifecycleStep {
  if (phase.kind === 'firing') {
    if (verdict !== 'clear') return { phase: { kind: 'firing', activeSince: phase.activeSince, firingSince: phase.firingSince } };
    const clearSince = phase.clearSince ?? now;
    if (now - clearSince >= periodMs) return { phase: { kind: 'inactive' }, event: 'resolved' };
    return { phase: { ...phase, clearSince } };
  }
  if (verdict !== 'breached') return { phase: { kind: 'inactive' } };
  const activeSince = phase.kind === 'pending' ? phase.activeSince : now;
  if (now - activeSince >= periodMs) return { phase: { kind: 'firing', activeSince, firingSince: now }, event: 'fired' };
  return { phase: { kind: 'pending', activeSince } };
}
