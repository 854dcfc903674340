/** The receiver name on alert groups opened by the embedded evaluator (not Alertmanager: its silences cannot mute them). */
export const EMBEDDED_EVALUATOR_RECEIVER = 'opsbot-embedded';

/**
 * An alert of one of opsbot's own rules for one model and environment, fired by the embedded evaluator
 * (monitoring/evaluator/). Only fired alerts are stored: a restart then neither fires one twice nor loses one.
 * A pending condition is not stored: after a restart it must hold for its whole period again, since nobody
 * watched it while opsbot was down.
 */
export interface RuleAlert {
  /** `<AlertName>|<model>|<env>`: one alert per rule, model and environment. */
  key: string;
  /** The rule's name as written (`High latency`). */
  rule: string;
  model: string;
  env: string;
  /** `resolved` between deciding it resolved and the triage thread being told; then it is removed. */
  status: 'firing' | 'resolved';
  /** When the condition started holding (the alert's startsAt). */
  activeSince: string;
  firingSince: string;
  resolvedAt?: string;
  /** The metric (or, for an anomaly rule, its z-score) when it fired or resolved. */
  value: number;
  /** The labels its notifications carry, as when it fired: its thread stays one group even if the rule changes or goes. */
  labels: Record<string, string>;
  /** When the triage thread was last told (fired, repeated, resolved); absent: not told yet (told after a restart). */
  notifiedAt?: string;
  revision: number;
}

export type RuleAlertWrite = Omit<RuleAlert, 'revision'>;

export interface RuleAlertStore {
  list(): Promise<RuleAlert[]>;
  /**
   * Writes the alert if the stored revision is `expectedRevision` (0: none is stored), so two evaluators sharing a
   * database fire an alert once; returns it at its new revision, or undefined when another wrote first.
   */
  save(alert: RuleAlertWrite, expectedRevision: number): Promise<RuleAlert | undefined>;
  /** Removes it if still at `expectedRevision`; false when another changed or removed it first. */
  remove(key: string, expectedRevision: number): Promise<boolean>;
}
