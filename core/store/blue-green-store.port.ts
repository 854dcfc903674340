import type { ConversationRef, Identity } from '../identity.js';
import type { Colour, Scaling } from '../deployments/deploy-target.port.js';

/**
 * The steps of one blue-green deployment. `awaiting_approval` and `rolling_out` are the
 * open ones; the rest are final (`live` until a later deployment supersedes it).
 */
export const DEPLOYMENT_PHASES = [
  'rolling_out',
  'awaiting_approval',
  'promoting',
  'live',
  'superseded',
  'rejected',
  'expired',
  'rolled_back',
  'failed',
] as const;
export type DeploymentPhase = (typeof DEPLOYMENT_PHASES)[number];

/** One person's answer to an approval request; one per person, whatever they clicked last counts once. */
export interface ApprovalVote {
  /** identityKey of the voter. */
  voter: string;
  displayName: string;
  decision: 'approve' | 'reject';
  at: string;
}

/** What the approval card shows about the idle colour before anyone promotes it (JSON as the deploy job measured it). */
export interface DeploymentReport {
  /** Metric name → [live version's value or null, new version's value]. */
  evaluation?: Record<string, [number | null, number]>;
  smokeTest?: { texts: number; agreement: number | null; labels: Record<string, number>; liveLabels?: Record<string, number> };
  latencyMs?: { p50: number; p99: number };
  healthy?: boolean;
}

export interface BlueGreenDeployment {
  /** `d-` + the deploy job's id suffix: the approval buttons carry it. */
  id: string;
  jobId: string;
  model: string;
  env: string;
  version: number;
  /** The colour this version was rolled out to (the idle one when it started). */
  colour: Colour;
  /** What was live when it started: rollback and the evaluation delta compare against it. */
  previousVersion?: number;
  phase: DeploymentPhase;
  requestedBy: Identity;
  conversation: ConversationRef;
  approvalsRequired: number;
  votes: ApprovalVote[];
  report: DeploymentReport;
  /** The approval card's message reference, once posted. */
  cardRef?: string;
  /** An awaiting approval request expires then. */
  expiresAt?: string;
  /** Who decided (promoted, rejected) and why it ended, for the card and status. */
  decidedBy?: string;
  reason?: string;
  createdAt: string;
  updatedAt: string;
}

export type NewBlueGreenDeployment = Omit<BlueGreenDeployment, 'votes' | 'createdAt' | 'updatedAt' | 'report' | 'phase'> & {
  phase?: DeploymentPhase;
  report?: DeploymentReport;
};

/** What may change with a phase transition. */
export type DeploymentPatch = Partial<Pick<BlueGreenDeployment, 'report' | 'cardRef' | 'expiresAt' | 'decidedBy' | 'reason'>>;

/**
 * What a model serves in an environment: the live colour and what each colour runs.
 * This is the desired state the deploy target is restored to after a restart.
 */
export interface ServingSlotState {
  model: string;
  env: string;
  /** Absent before the first promotion. */
  live?: Colour;
  colours: Partial<Record<Colour, { version: number; scaling: Scaling }>>;
  /** The idle colour is kept warm (instant rollback) until then, and then retired. */
  idleWarmUntil?: string;
  updatedAt: string;
}

export interface BlueGreenStore {
  create(deployment: NewBlueGreenDeployment): Promise<BlueGreenDeployment>;
  get(id: string): Promise<BlueGreenDeployment | undefined>;
  getByJob(jobId: string): Promise<BlueGreenDeployment | undefined>;
  /** Newest first. */
  list(filter: { model?: string; env?: string; phases?: readonly DeploymentPhase[]; limit?: number }): Promise<BlueGreenDeployment[]>;
  /**
   * Moves a deployment to `to` only if its phase is one of `from` (compare-and-set), so a
   * promote racing an expiry or two replicas handling one click end in one state. Returns
   * the updated deployment, or undefined when its phase was no longer one of `from`.
   */
  transition(id: string, from: readonly DeploymentPhase[], to: DeploymentPhase, patch?: DeploymentPatch): Promise<BlueGreenDeployment | undefined>;
  /** Sets fields without a phase change (the card's ref, the report). */
  update(id: string, patch: DeploymentPatch): Promise<BlueGreenDeployment | undefined>;
  /**
   * Records a vote while the deployment awaits approval; a person's later vote replaces
   * their earlier one (a double click counts once). Returns the deployment with its votes,
   * or undefined when it no longer awaits approval.
   */
  vote(id: string, vote: ApprovalVote): Promise<BlueGreenDeployment | undefined>;

  slot(model: string, env: string): Promise<ServingSlotState | undefined>;
  /** Every slot, for restoring the deploy target at start-up. */
  slots(): Promise<ServingSlotState[]>;
  saveSlot(state: Omit<ServingSlotState, 'updatedAt'>): Promise<ServingSlotState>;
  removeSlot(model: string, env: string): Promise<void>;
}
