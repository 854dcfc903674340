import type {
  ApprovalVote,
  BlueGreenDeployment,
  Colour,
  ConversationRef,
  DeploymentPhase,
  DeploymentReport,
  Identity,
  ServingSlotState,
} from '../../core/index.js';
import { InvalidInputError } from '../../core/index.js';
import { withoutAbsent } from './sql-values.js';

/**
 * Rows of the blue-green tables as either driver hands them back: SQLite gives JSON as text and
 * times as ISO text; pg parses `json` columns and gives timestamptz as a Date (and as text inside json_agg).
 */
type Json<T> = string | T;
type Time = string | Date;

export interface DeploymentRow {
  id: string;
  job_id: string;
  model: string;
  env: string;
  version: number;
  colour: string;
  previous_version: number | null;
  phase: string;
  requested_by: Json<Identity>;
  conversation: Json<ConversationRef>;
  approvals_required: number;
  report: Json<DeploymentReport>;
  card_ref: string | null;
  expires_at: Time | null;
  decided_by: string | null;
  reason: string | null;
  created_at: Time;
  updated_at: Time;
}

export interface VoteRow {
  voter: string;
  display_name: string;
  decision: string;
  at: Time;
}

export interface SlotRow {
  model: string;
  env: string;
  live: string | null;
  colours: Json<ServingSlotState['colours']>;
  idle_warm_until: Time | null;
  updated_at: Time;
}

function json<T>(value: Json<T>): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** One ISO form (milliseconds, Z) whichever driver and offset the time came back in. */
function iso(value: Time): string;
function iso(value: Time | null): string | undefined;
function iso(value: Time | null): string | undefined {
  return value === null ? undefined : new Date(value).toISOString();
}

/**
 * Times callers hand in are stored in one ISO form, so both adapters read back the same string
 * (Postgres would normalise a timestamptz anyway); a non-time is refused rather than stored.
 */
export function toStoredTime(value: string, name: string): string;
export function toStoredTime(value: string | undefined, name: string): string | undefined;
export function toStoredTime(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError(`"${value}" is not a time; write ${name} as an ISO timestamp such as 2026-01-31T09:00:00Z`);
  return new Date(ms).toISOString();
}

export function toVote(row: VoteRow): ApprovalVote {
  return { voter: row.voter, displayName: row.display_name, decision: row.decision as ApprovalVote['decision'], at: iso(row.at) };
}

export function toDeployment(row: DeploymentRow, votes: readonly VoteRow[]): BlueGreenDeployment {
  // withoutAbsent is shallow: nulls inside the report (a live value that was never measured) stay.
  return withoutAbsent({
    id: row.id,
    jobId: row.job_id,
    model: row.model,
    env: row.env,
    version: row.version,
    colour: row.colour as Colour,
    previousVersion: row.previous_version,
    phase: row.phase as DeploymentPhase,
    requestedBy: json(row.requested_by),
    conversation: json(row.conversation),
    approvalsRequired: row.approvals_required,
    votes: votes.map(toVote),
    report: json(row.report),
    cardRef: row.card_ref,
    expiresAt: iso(row.expires_at),
    decidedBy: row.decided_by,
    reason: row.reason,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  } as BlueGreenDeployment);
}

export function toSlot(row: SlotRow): ServingSlotState {
  return withoutAbsent({
    model: row.model,
    env: row.env,
    live: row.live as Colour | null,
    colours: json(row.colours),
    idleWarmUntil: iso(row.idle_warm_until),
    updatedAt: iso(row.updated_at),
  } as ServingSlotState);
}
