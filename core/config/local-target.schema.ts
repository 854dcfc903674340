import { z } from 'zod';

/** The local deploy target: model-server processes on this machine behind a loopback router per model and environment. */
export const localTargetSchema = z
  .object({
    /**
     * The first port tried for the routers' stable endpoints; each model and environment keeps its port across restarts.
     * @defaultValue `18700`
     */
    basePort: z.number().int().min(1024).max(65000).default(18700),
  })
  .default({ basePort: 18700 });
