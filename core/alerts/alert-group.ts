import type { ConversationRef } from '../identity.js';

/** Who did something to an alert group, and when (shown in its thread and parent). */
export interface AlertActor {
  /** identityKey of the person. */
  who: string;
  displayName: string;
  at: string;
}

/** A silence on an alert group: a real Alertmanager one (its id) or opsbot's own (repeat pings muted until `until`). */
export interface AlertSilence extends AlertActor {
  kind: 'alertmanager' | 'opsbot';
  /** Alertmanager's silenceID; absent for an opsbot silence. */
  silenceId?: string;
  until: string;
}

/** One alert of a group, as Alertmanager last reported it. */
export interface AlertSnapshot {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

/** What was serving when the group first fired: the blue-green slot's live colour and who promoted it. */
export interface LiveDeploymentAtFire {
  model: string;
  env: string;
  version?: number;
  colour?: string;
  promotedBy?: string;
  promotedAt?: string;
}

/**
 * One alert group (Alertmanager's groupKey) and its triage thread: one parent message, updated in place.
 * `revision` grows with every write; writers compare-and-set on it so concurrent clicks and webhooks
 * end in one state.
 */
export interface AlertGroup {
  /** `a-` + 10 characters derived from the group key: the buttons carry it. */
  id: string;
  groupKey: string;
  receiver: string;
  conversation: ConversationRef;
  /** The parent message's reference; absent until it is posted. Thread replies go to it. */
  parentRef?: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL?: string;
  truncatedAlerts: number;
  /** Alerts by fingerprint, as last reported (resolved ones stay, so the counts add up). */
  alerts: AlertSnapshot[];
  firstSeen: string;
  lastSeen: string;
  deployment?: LiveDeploymentAtFire;
  acknowledged?: AlertActor;
  silence?: AlertSilence;
  escalated?: AlertActor;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export type NewAlertGroup = Omit<AlertGroup, 'revision' | 'createdAt' | 'updatedAt'>;

/** Everything but the identity and bookkeeping may change; `undefined` in a patch clears a field. */
export type AlertGroupPatch = Partial<Omit<AlertGroup, 'id' | 'groupKey' | 'revision' | 'createdAt' | 'updatedAt'>>;

export interface AlertGroupStore {
  get(id: string): Promise<AlertGroup | undefined>;
  getByGroupKey(groupKey: string): Promise<AlertGroup | undefined>;
  /** Inserts the group unless one with its id or group key exists: undefined then (someone else created it first). */
  create(group: NewAlertGroup): Promise<AlertGroup | undefined>;
  /**
   * Applies the patch only if the stored revision is still `expectedRevision` (compare-and-set); returns
   * the group at its new revision, or undefined when someone else wrote first (re-read and decide again).
   */
  update(id: string, expectedRevision: number, patch: AlertGroupPatch): Promise<AlertGroup | undefined>;
  /** How many groups fire now, by their `severity` label (absent: '') and receiver. */
  countFiring(): Promise<Array<{ severity: string; receiver: string; count: number }>>;
}
