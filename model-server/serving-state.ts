import type { InferenceService } from './inference-service.js';

export type ServingPhase = 'loading' | 'ready' | 'draining' | 'failed';

/** What the protocol routes read of the server: the model they answer for and whether it can answer now. */
export interface ServingState {
  readonly name: string;
  readonly version: number;
  readonly phase: ServingPhase;
  /** Present once the session is loaded and warmed up. */
  readonly service?: InferenceService;
  readonly limits: { maxTextsPerRequest: number; maxTextChars: number; maxBodyBytes: number };
}
