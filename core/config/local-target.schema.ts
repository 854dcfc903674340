import { z } from 'zod';

/**
 * The local deploy target: model-server processes on this machine behind a loopback router per model and environment.
 * The optional settings have no zod default so that a config written before them still types; the target applies
 * the documented default.
 */
export const localTargetSchema = z
  .object({
    /**
     * The first port tried for the routers' stable endpoints (each model and environment takes two: the endpoint
     * and its preview); each keeps its ports across restarts, recorded in `<dataDir>/deploy/local-endpoints.json`.
     * @defaultValue `18700`
     */
    basePort: z.number().int().min(1024).max(65000).default(18700),
    /**
     * Replicas share their predictions through Redis (REDIS_URL) as a second cache tier. Off by default: the
     * model-server processes then get no Redis address (which may carry a password) and keep an in-process cache each.
     * @defaultValue `false`
     */
    sharedPredictionCache: z.boolean().optional(),
    /**
     * Seconds a stopped model server gets to answer the requests it holds (it drains on SIGTERM) before it is killed.
     * @defaultValue `20`
     */
    stopGraceSeconds: z.number().min(1).max(600).optional(),
  })
  .default({ basePort: 18700 });
