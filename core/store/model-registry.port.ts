import type { ConversationRef } from '../identity.js';

/** One immutable, trained version of a model. */
export interface ModelVersion {
  model: string;
  version: number;
  createdAt: string;
  /** identityKey of who trained it. */
  createdBy: string;
  jobId: string;
  dataset: string;
  datasetHash: string;
  metrics: Record<string, number>;
  params: Record<string, unknown>;
  /** Path of the artifact, relative to the data directory. */
  artifactPath: string;
  conversation?: ConversationRef;
}

export type NewModelVersion = Omit<ModelVersion, 'version' | 'createdAt'>;

export interface ModelRegistry {
  listModels(): Promise<string[]>;
  /** Oldest first. */
  listVersions(model: string): Promise<ModelVersion[]>;
  getVersion(model: string, version: number): Promise<ModelVersion | undefined>;
  /**
   * Assigns the next version number atomically; registering the same jobId twice returns the first version.
   * A deleted version's number is never given out again, so a number in the audit log names one version only.
   */
  registerVersion(input: NewModelVersion): Promise<ModelVersion>;
  /** Removes a version from the registry (its files are the caller's to remove); undefined when there was none. */
  deleteVersion(model: string, version: number): Promise<ModelVersion | undefined>;
}
