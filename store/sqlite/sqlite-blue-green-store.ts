import type Database from 'better-sqlite3';
import type {
  ApprovalVote,
  BlueGreenDeployment,
  BlueGreenStore,
  DeploymentPatch,
  DeploymentPhase,
  NewBlueGreenDeployment,
  ServingSlotState,
} from '../../core/index.js';
import { ConflictError } from '../../core/index.js';
import { toDeployment, toSlot, toStoredTime, type DeploymentRow, type SlotRow, type VoteRow } from '../shared/blue-green-rows.js';
import { clampLimit, toJson } from '../shared/sql-values.js';

interface PatchParams {
  id: string;
  /** JSON array of phases, or null for no phase guard. */
  from: string | null;
  to: string | null;
  updated_at: string;
  report: string | null;
  card_ref: string | null;
  expires_at: string | null;
  decided_by: string | null;
  reason: string | null;
}

/**
 * Every write is one guarded statement or an IMMEDIATE transaction, so the compare-and-set holds
 * across processes sharing the file, not just within this connection.
 */
export class SqliteBlueGreenStore implements BlueGreenStore {
  private readonly selectById;
  private readonly selectByJob;
  private readonly selectVotes;
  private readonly selectList;
  private readonly selectSlot;
  private readonly selectSlots;
  private readonly upsertSlot;
  private readonly deleteSlot;
  private readonly createOnce;
  private readonly patchOnce;
  private readonly voteOnce;

  constructor(
    db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.selectById = db.prepare<[string], DeploymentRow>('SELECT * FROM blue_green_deployments WHERE id = ?');
    this.selectByJob = db.prepare<[string], DeploymentRow>('SELECT * FROM blue_green_deployments WHERE job_id = ?');
    this.selectVotes = db.prepare<[string], VoteRow>(
      'SELECT voter, display_name, decision, at FROM approval_votes WHERE deployment_id = ? ORDER BY at, voter',
    );
    // rowid breaks ties between deployments created in the same millisecond, keeping newest first stable.
    this.selectList = db.prepare<[{ model: string | null; env: string | null; phases: string | null; limit: number }], DeploymentRow>(
      `SELECT * FROM blue_green_deployments
       WHERE (@model IS NULL OR model = @model) AND (@env IS NULL OR env = @env)
         AND (@phases IS NULL OR phase IN (SELECT value FROM json_each(@phases)))
       ORDER BY created_at DESC, rowid DESC LIMIT @limit`,
    );
    const insert = db.prepare<[Record<string, unknown>]>(
      `INSERT INTO blue_green_deployments (id, job_id, model, env, version, colour, previous_version, phase, requested_by,
         conversation, approvals_required, report, card_ref, expires_at, decided_by, reason, created_at, updated_at)
       VALUES (@id, @job_id, @model, @env, @version, @colour, @previous_version, @phase, @requested_by,
         @conversation, @approvals_required, @report, @card_ref, @expires_at, @decided_by, @reason, @created_at, @created_at)`,
    );
    // A retried deploy job creates again: the jobId check and the insert see one state.
    this.createOnce = db.transaction((row: Record<string, unknown>): DeploymentRow => {
      const existing = this.selectByJob.get(row.job_id as string);
      if (existing) return existing;
      try {
        insert.run(row);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new ConflictError(`A deployment with id ${row.id as string} already exists for another job.`);
        }
        throw error;
      }
      return this.selectById.get(row.id as string)!;
    });
    // One UPDATE guarded by the phase is the compare-and-set; without `from` it is a plain patch.
    const patch = db.prepare<[PatchParams], DeploymentRow>(
      `UPDATE blue_green_deployments SET phase = COALESCE(@to, phase), updated_at = @updated_at,
         report = COALESCE(@report, report), card_ref = COALESCE(@card_ref, card_ref),
         expires_at = COALESCE(@expires_at, expires_at), decided_by = COALESCE(@decided_by, decided_by),
         reason = COALESCE(@reason, reason)
       WHERE id = @id AND (@from IS NULL OR phase IN (SELECT value FROM json_each(@from)))
       RETURNING *`,
    );
    this.patchOnce = db.transaction((params: PatchParams): BlueGreenDeployment | undefined => {
      const row = patch.get(params);
      return row && toDeployment(row, this.selectVotes.all(row.id));
    });
    const touchAwaiting = db.prepare<[string, string]>(
      `UPDATE blue_green_deployments SET updated_at = ? WHERE id = ? AND phase = 'awaiting_approval'`,
    );
    const upsertVote = db.prepare<[Record<string, unknown>]>(
      `INSERT INTO approval_votes (deployment_id, voter, display_name, decision, at)
       VALUES (@deployment_id, @voter, @display_name, @decision, @at)
       ON CONFLICT (deployment_id, voter) DO UPDATE SET
         display_name = excluded.display_name, decision = excluded.decision, at = excluded.at`,
    );
    // The phase check and the vote are one IMMEDIATE transaction: no transition can slip between them.
    this.voteOnce = db.transaction((id: string, vote: ApprovalVote): BlueGreenDeployment | undefined => {
      if (touchAwaiting.run(this.now().toISOString(), id).changes === 0) return undefined;
      upsertVote.run({
        deployment_id: id,
        voter: vote.voter,
        display_name: vote.displayName,
        decision: vote.decision,
        at: toStoredTime(vote.at, 'the vote time'),
      });
      return this.withVotes(this.selectById.get(id));
    });
    this.selectSlot = db.prepare<[string, string], SlotRow>('SELECT * FROM serving_slots WHERE model = ? AND env = ?');
    this.selectSlots = db.prepare<[], SlotRow>('SELECT * FROM serving_slots ORDER BY model, env');
    this.upsertSlot = db.prepare<[Record<string, unknown>], SlotRow>(
      `INSERT INTO serving_slots (model, env, live, colours, idle_warm_until, updated_at)
       VALUES (@model, @env, @live, @colours, @idle_warm_until, @updated_at)
       ON CONFLICT (model, env) DO UPDATE SET
         live = excluded.live, colours = excluded.colours, idle_warm_until = excluded.idle_warm_until, updated_at = excluded.updated_at
       RETURNING *`,
    );
    this.deleteSlot = db.prepare<[string, string]>('DELETE FROM serving_slots WHERE model = ? AND env = ?');
  }

  async create(deployment: NewBlueGreenDeployment): Promise<BlueGreenDeployment> {
    const row = this.createOnce.immediate({
      id: deployment.id,
      job_id: deployment.jobId,
      model: deployment.model,
      env: deployment.env,
      version: deployment.version,
      colour: deployment.colour,
      previous_version: deployment.previousVersion ?? null,
      phase: deployment.phase ?? 'rolling_out',
      requested_by: JSON.stringify(deployment.requestedBy),
      conversation: JSON.stringify(deployment.conversation),
      approvals_required: deployment.approvalsRequired,
      report: JSON.stringify(deployment.report ?? {}),
      card_ref: deployment.cardRef ?? null,
      expires_at: toStoredTime(deployment.expiresAt, 'expiresAt') ?? null,
      decided_by: deployment.decidedBy ?? null,
      reason: deployment.reason ?? null,
      created_at: this.now().toISOString(),
    });
    return this.withVotes(row)!;
  }

  async get(id: string): Promise<BlueGreenDeployment | undefined> {
    return this.withVotes(this.selectById.get(id));
  }

  async getByJob(jobId: string): Promise<BlueGreenDeployment | undefined> {
    return this.withVotes(this.selectByJob.get(jobId));
  }

  async list(filter: { model?: string; env?: string; phases?: readonly DeploymentPhase[]; limit?: number }): Promise<BlueGreenDeployment[]> {
    if (filter.phases?.length === 0) return [];
    const rows = this.selectList.all({
      model: filter.model ?? null,
      env: filter.env ?? null,
      phases: toJson(filter.phases),
      limit: clampLimit(filter.limit),
    });
    return rows.map((row) => this.withVotes(row)!);
  }

  async transition(id: string, from: readonly DeploymentPhase[], to: DeploymentPhase, patch: DeploymentPatch = {}): Promise<BlueGreenDeployment | undefined> {
    return this.patchOnce.immediate(this.patchParams(id, JSON.stringify(from), to, patch));
  }

  async update(id: string, patch: DeploymentPatch): Promise<BlueGreenDeployment | undefined> {
    return this.patchOnce.immediate(this.patchParams(id, null, null, patch));
  }

  async vote(id: string, vote: ApprovalVote): Promise<BlueGreenDeployment | undefined> {
    return this.voteOnce.immediate(id, vote);
  }

  async slot(model: string, env: string): Promise<ServingSlotState | undefined> {
    const row = this.selectSlot.get(model, env);
    return row && toSlot(row);
  }

  async slots(): Promise<ServingSlotState[]> {
    return this.selectSlots.all().map(toSlot);
  }

  /** Replaces the whole state: a field left out (idleWarmUntil, live) is cleared. */
  async saveSlot(state: Omit<ServingSlotState, 'updatedAt'>): Promise<ServingSlotState> {
    const row = this.upsertSlot.get({
      model: state.model,
      env: state.env,
      live: state.live ?? null,
      colours: JSON.stringify(state.colours),
      idle_warm_until: toStoredTime(state.idleWarmUntil, 'idleWarmUntil') ?? null,
      updated_at: this.now().toISOString(),
    });
    return toSlot(row!);
  }

  async removeSlot(model: string, env: string): Promise<void> {
    this.deleteSlot.run(model, env);
  }

  private patchParams(id: string, from: string | null, to: DeploymentPhase | null, patch: DeploymentPatch): PatchParams {
    return {
      id,
      from,
      to,
      updated_at: this.now().toISOString(),
      report: toJson(patch.report),
      card_ref: patch.cardRef ?? null,
      expires_at: toStoredTime(patch.expiresAt, 'expiresAt') ?? null,
      decided_by: patch.decidedBy ?? null,
      reason: patch.reason ?? null,
    };
  }

  private withVotes(row: DeploymentRow | undefined): BlueGreenDeployment | undefined {
    return row && toDeployment(row, this.selectVotes.all(row.id));
  }
}
