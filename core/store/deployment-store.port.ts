/** What changed a deployment: each revision is appended, never edited. */
export type DeploymentChange = 'deploy' | 'rollback' | 'scale';

export interface DeploymentRevision {
  revision: number;
  model: string;
  env: string;
  version: number;
  /** Fixed replica count, or an autoscaling range. */
  replicas?: number;
  min?: number;
  max?: number;
  change: DeploymentChange;
  jobId: string;
  /** identityKey of who asked for it. */
  by: string;
  at: string;
}

export type NewDeploymentRevision = Omit<DeploymentRevision, 'revision' | 'at'>;

export interface DeploymentStore {
  /** The latest revision of a model in an environment. */
  current(model: string, env: string): Promise<DeploymentRevision | undefined>;
  /** Newest first. */
  history(model: string, env: string, limit?: number): Promise<DeploymentRevision[]>;
  /** Appends a revision; recording the same jobId twice returns the first (retries are idempotent). */
  record(revision: NewDeploymentRevision): Promise<DeploymentRevision>;
}
