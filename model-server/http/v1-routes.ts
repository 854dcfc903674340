import { z } from 'zod';
import type { Prediction } from '../prediction.js';
import type { ServingState } from '../serving-state.js';
import { checkTexts } from './check-texts.js';
import { formatIssues } from './format-issues.js';
import { HttpError } from './http-error.js';
import { json, rawJson, type Reply } from './reply.js';
import { resolveModel } from './resolve-model.js';
import { V1PredictionJson } from './v1-prediction-json.js';

const predictRequestSchema = z.object({ instances: z.array(z.string(), { error: 'instances must be an array of texts' }).min(1, 'instances must hold at least one text') });

/** One encoder per served model's labels. */
const encoders = new WeakMap<readonly string[], V1PredictionJson>();

/** KServe V1 (TF-Serving style): `GET /v1/models/{name}` and `POST /v1/models/{name}:predict`. */
export const v1Routes = {
  /** Model status as KServe answers it: 200 `{name, ready: true}` when ready, 503 before. */
  status(state: ServingState, name: string): Reply {
    resolveModel(state, name);
    return json({ name, ready: true });
  },

  list(state: ServingState): Reply {
    return json({ models: [state.name] });
  },

  /** Synchronous when every text is in the in-process cache (see InferenceService.predict). */
  predict(state: ServingState, name: string, body: unknown): Reply | Promise<Reply> {
    const service = resolveModel(state, name);
    const texts = instancesOf(body);
    checkTexts(state, texts);
    const { labels } = service.model;
    let encoder = encoders.get(labels);
    if (!encoder) encoders.set(labels, (encoder = new V1PredictionJson(labels)));
    const predictions = service.predict(texts);
    const reply = (answers: readonly Prediction[]) => rawJson((encoder as V1PredictionJson).response(answers));
    return Array.isArray(predictions) ? reply(predictions) : predictions.then(reply);
  },
};

/**
 * The texts of a predict request. The common shape (an object whose `instances` are texts)
 * is checked by hand: zod's parse cost more than the rest of the request's validation. It
 * accepts only what the schema accepts, and anything else goes to the schema, which words
 * the error.
 */
function instancesOf(body: unknown): string[] {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const instances = (body as { instances?: unknown }).instances;
    if (Array.isArray(instances) && instances.length > 0 && instances.every((text) => typeof text === 'string')) return instances as string[];
  }
  const parsed = predictRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `invalid predict request: ${formatIssues(parsed.error)}; send {"instances": ["text", ...]}`);
  return parsed.data.instances;
}
