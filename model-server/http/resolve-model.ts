import type { InferenceService } from '../inference-service.js';
import type { ServingState } from '../serving-state.js';
import { HttpError } from './http-error.js';

/** Refuses a model or version this server does not serve (404) before asking whether it is ready. */
export function checkModel(state: ServingState, name: string, version?: string): void {
  if (name !== state.name) throw new HttpError(404, `model '${name}' is not served here; this server serves '${state.name}'`);
  if (version !== undefined && version !== String(state.version)) {
    throw new HttpError(404, `model '${name}' has no version '${version}' here; this server serves version ${state.version}`);
  }
}

/** The inference service of the named model, or why it cannot answer (404 unknown, 503 not ready). */
export function resolveModel(state: ServingState, name: string, version?: string): InferenceService {
  checkModel(state, name, version);
  if (state.phase === 'ready' && state.service) return state.service;
  throw new HttpError(503, notReadyMessage(state));
}

export function notReadyMessage(state: ServingState): string {
  switch (state.phase) {
    case 'loading':
      return `model '${state.name}' version ${state.version} is still loading`;
    case 'draining':
      return 'the server is shutting down';
    default:
      return `model '${state.name}' version ${state.version} failed to load`;
  }
}
