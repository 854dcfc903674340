import type { Pool, PoolClient } from 'pg';
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
import { inTransaction } from './transaction.js';

type Queryable = Pool | PoolClient;

export class PostgresBlueGreenStore implements BlueGreenStore {
  private readonly deployments: string;
  private readonly votes: string;
  private readonly slotsTable: string;
  /** A deployment row with its votes (oldest first) in one round trip. */
  private readonly selectWithVotes: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
    private readonly now: () => Date,
  ) {
    this.deployments = `${schema}.blue_green_deployments`;
    this.votes = `${schema}.approval_votes`;
    this.slotsTable = `${schema}.serving_slots`;
    this.selectWithVotes = `SELECT d.*, COALESCE((
        SELECT json_agg(json_build_object('voter', v.voter, 'display_name', v.display_name, 'decision', v.decision, 'at', v.at)
          ORDER BY v.at, v.voter)
        FROM ${this.votes} v WHERE v.deployment_id = d.id), '[]'::json) AS votes
      FROM ${this.deployments} d`;
  }

  /**
   * A retried deploy job finds its first deployment instead of failing. ON CONFLICT has no target:
   * a racing insert of the same job collides on the id as well as the job_id, and whichever index is
   * checked first must wait and then do nothing. Only an id taken by another job is a conflict.
   */
  async create(deployment: NewBlueGreenDeployment): Promise<BlueGreenDeployment> {
    await this.pool.query(
      `INSERT INTO ${this.deployments} (id, job_id, model, env, version, colour, previous_version, phase, requested_by,
         conversation, approvals_required, report, card_ref, expires_at, decided_by, reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
       ON CONFLICT DO NOTHING`,
      [
        deployment.id,
        deployment.jobId,
        deployment.model,
        deployment.env,
        deployment.version,
        deployment.colour,
        deployment.previousVersion ?? null,
        deployment.phase ?? 'rolling_out',
        JSON.stringify(deployment.requestedBy),
        JSON.stringify(deployment.conversation),
        deployment.approvalsRequired,
        JSON.stringify(deployment.report ?? {}),
        deployment.cardRef ?? null,
        toStoredTime(deployment.expiresAt, 'expiresAt') ?? null,
        deployment.decidedBy ?? null,
        deployment.reason ?? null,
        this.now().toISOString(),
      ],
    );
    const created = await this.getByJob(deployment.jobId);
    if (!created) throw new ConflictError(`A deployment with id ${deployment.id} already exists for another job.`);
    return created;
  }

  async get(id: string): Promise<BlueGreenDeployment | undefined> {
    return this.selectOne(this.pool, 'd.id = $1', [id]);
  }

  async getByJob(jobId: string): Promise<BlueGreenDeployment | undefined> {
    return this.selectOne(this.pool, 'd.job_id = $1', [jobId]);
  }

  async list(filter: { model?: string; env?: string; phases?: readonly DeploymentPhase[]; limit?: number }): Promise<BlueGreenDeployment[]> {
    if (filter.phases?.length === 0) return [];
    const { rows } = await this.pool.query<DeploymentRow & { votes: VoteRow[] }>(
      `${this.selectWithVotes}
       WHERE ($1::text IS NULL OR d.model = $1) AND ($2::text IS NULL OR d.env = $2) AND ($3::text[] IS NULL OR d.phase = ANY($3::text[]))
       ORDER BY d.created_at DESC, d.position DESC LIMIT $4`,
      [filter.model ?? null, filter.env ?? null, filter.phases ?? null, clampLimit(filter.limit)],
    );
    return rows.map((row) => toDeployment(row, row.votes));
  }

  /**
   * The guarded UPDATE is the compare-and-set: a racing transition waits for this one's row lock,
   * re-reads the phase and matches nothing. The votes are read after it commits, so they include
   * every vote that got in before it (votes lock the same row).
   */
  async transition(id: string, from: readonly DeploymentPhase[], to: DeploymentPhase, patch: DeploymentPatch = {}): Promise<BlueGreenDeployment | undefined> {
    return this.patch(id, [...from], to, patch);
  }

  async update(id: string, patch: DeploymentPatch): Promise<BlueGreenDeployment | undefined> {
    return this.patch(id, null, null, patch);
  }

  /**
   * Locks the deployment row by touching it only while it awaits approval, then upserts the vote and
   * reads every vote, all in one transaction: a transition waits for it (or it for the transition,
   * then finds the phase changed), and concurrent voters each see the votes committed before theirs,
   * so the one who completes the approvals knows it.
   */
  async vote(id: string, vote: ApprovalVote): Promise<BlueGreenDeployment | undefined> {
    const at = toStoredTime(vote.at, 'the vote time');
    return inTransaction(this.pool, async (client) => {
      const touched = await client.query(
        `UPDATE ${this.deployments} SET updated_at = $2 WHERE id = $1 AND phase = 'awaiting_approval'`,
        [id, this.now().toISOString()],
      );
      if (!touched.rowCount) return undefined;
      await client.query(
        `INSERT INTO ${this.votes} (deployment_id, voter, display_name, decision, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (deployment_id, voter) DO UPDATE SET
           display_name = EXCLUDED.display_name, decision = EXCLUDED.decision, at = EXCLUDED.at`,
        [id, vote.voter, vote.displayName, vote.decision, at],
      );
      return this.selectOne(client, 'd.id = $1', [id]);
    });
  }

  async slot(model: string, env: string): Promise<ServingSlotState | undefined> {
    const { rows } = await this.pool.query<SlotRow>(`SELECT * FROM ${this.slotsTable} WHERE model = $1 AND env = $2`, [model, env]);
    return rows[0] && toSlot(rows[0]);
  }

  async slots(): Promise<ServingSlotState[]> {
    const { rows } = await this.pool.query<SlotRow>(`SELECT * FROM ${this.slotsTable} ORDER BY model, env`);
    return rows.map(toSlot);
  }

  /** Replaces the whole state: a field left out (idleWarmUntil, live) is cleared. */
  async saveSlot(state: Omit<ServingSlotState, 'updatedAt'>): Promise<ServingSlotState> {
    const { rows } = await this.pool.query<SlotRow>(
      `INSERT INTO ${this.slotsTable} (model, env, live, colours, idle_warm_until, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (model, env) DO UPDATE SET
         live = EXCLUDED.live, colours = EXCLUDED.colours, idle_warm_until = EXCLUDED.idle_warm_until, updated_at = EXCLUDED.updated_at
       RETURNING *`,
      [
        state.model,
        state.env,
        state.live ?? null,
        JSON.stringify(state.colours),
        toStoredTime(state.idleWarmUntil, 'idleWarmUntil') ?? null,
        this.now().toISOString(),
      ],
    );
    return toSlot(rows[0]!);
  }

  async removeSlot(model: string, env: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.slotsTable} WHERE model = $1 AND env = $2`, [model, env]);
  }

  /** One guarded UPDATE (no guard when `from` is null); the row as this statement left it, with its votes. */
  private async patch(id: string, from: string[] | null, to: DeploymentPhase | null, patch: DeploymentPatch): Promise<BlueGreenDeployment | undefined> {
    const { rows } = await this.pool.query<DeploymentRow>(
      `UPDATE ${this.deployments} SET phase = COALESCE($3, phase), updated_at = $4,
         report = COALESCE($5::json, report), card_ref = COALESCE($6, card_ref), expires_at = COALESCE($7::timestamptz, expires_at),
         decided_by = COALESCE($8, decided_by), reason = COALESCE($9, reason)
       WHERE id = $1 AND ($2::text[] IS NULL OR phase = ANY($2::text[]))
       RETURNING *`,
      [
        id,
        from,
        to,
        this.now().toISOString(),
        toJson(patch.report),
        patch.cardRef ?? null,
        toStoredTime(patch.expiresAt, 'expiresAt') ?? null,
        patch.decidedBy ?? null,
        patch.reason ?? null,
      ],
    );
    const row = rows[0];
    if (!row) return undefined;
    const votes = await this.pool.query<VoteRow>(
      `SELECT voter, display_name, decision, at FROM ${this.votes} WHERE deployment_id = $1 ORDER BY at, voter`,
      [id],
    );
    return toDeployment(row, votes.rows);
  }

  private async selectOne(db: Queryable, where: string, params: unknown[]): Promise<BlueGreenDeployment | undefined> {
    const { rows } = await db.query<DeploymentRow & { votes: VoteRow[] }>(`${this.selectWithVotes} WHERE ${where}`, params);
    return rows[0] && toDeployment(rows[0], rows[0].votes);
  }
}
