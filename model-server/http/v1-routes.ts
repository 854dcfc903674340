import { z } from 'zod';
import type { InferenceService } from '../inference-service.js';
import type { ServingState } from '../serving-state.js';
import { checkTexts } from './check-texts.js';
import { formatIssues } from './format-issues.js';
import { HttpError } from './http-error.js';
import { json, type Reply } from './reply.js';
import { resolveModel } from './resolve-model.js';

const predictRequestSchema = z.object({ instances: z.array(z.string(), { error: 'instances must be an array of texts' }).min(1, 'instances must hold at least one text') });

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

  async predict(state: ServingState, name: string, body: unknown): Promise<Reply> {
    const service = resolveModel(state, name);
    const parsed = predictRequestSchema.safeParse(body);
    if (!parsed.success) throw new HttpError(400, `invalid predict request: ${formatIssues(parsed.error)}; send {"instances": ["text", ...]}`);
    const texts = parsed.data.instances;
    checkTexts(state, texts);
    return json({ predictions: await predictions(service, texts) });
  },
};

async function predictions(service: InferenceService, texts: readonly string[]) {
  const { labels } = service.model;
  return (await service.predict(texts)).map(({ labelIndex, probabilities }) => {
    const byLabel: Record<string, number> = {};
    labels.forEach((label, k) => (byLabel[label] = probabilities[k] as number));
    return { label: labels[labelIndex], probabilities: byLabel };
  });
}
