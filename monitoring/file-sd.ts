import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** One file_sd target group (https://prometheus.io/docs/guide/file-sd/). */
export interface FileSdGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** The local target's `<dataDir>/deploy/local-endpoints.json` (deploy-targets/local/endpoint-ports.ts), read-only here. */
const endpointsFileSchema = z.object({
  slots: z.array(z.object({ model: z.string(), env: z.string(), endpoint: z.number().int(), preview: z.number().int() })),
});

export const localEndpointsFile = (dataDir: string) => join(dataDir, 'deploy', 'local-endpoints.json');

/**
 * Target groups for the local target's model servers: each slot's two routers, the stable endpoint as `role: live`
 * and the preview as `role: preview`. A router answers /metrics with every replica of the colour it serves now, each
 * series labelled `colour` and `replica`, so these targets follow promotions and scaling without being rewritten (a
 * colour written here would go stale at the first promote). The ports are kept across restarts, so the file only
 * changes when a new model/env is first deployed. A preview with no idle colour running is simply `up == 0`.
 */
export function localFileSd(slots: z.infer<typeof endpointsFileSchema>['slots']): FileSdGroup[] {
  return [...slots]
    .sort((a, b) => a.model.localeCompare(b.model) || a.env.localeCompare(b.env))
    .flatMap((slot) => [
      { targets: [`127.0.0.1:${slot.endpoint}`], labels: { model: slot.model, env: slot.env, role: 'live' } },
      { targets: [`127.0.0.1:${slot.preview}`], labels: { model: slot.model, env: slot.env, role: 'preview' } },
    ]);
}

/** The groups for `<dataDir>`'s endpoints file; none when nothing was deployed yet. */
export async function readLocalFileSd(dataDir: string): Promise<FileSdGroup[]> {
  let text: string;
  try {
    text = await readFile(localEndpointsFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return localFileSd(endpointsFileSchema.parse(JSON.parse(text)).slots);
}
