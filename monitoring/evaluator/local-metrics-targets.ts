import { readLocalFileSd } from '../file-sd.js';
import type { MetricsTarget } from './rule-evaluator.js';

/** The local target's routers (both of every slot), from the endpoints file the file_sd targets come from too. */
export function localMetricsTargets(dataDir: string): () => Promise<MetricsTarget[]> {
  return async () =>
    (await readLocalFileSd(dataDir)).flatMap((group) =>
      group.targets.map((target) => ({ model: group.labels.model as string, env: group.labels.env as string, role: group.labels.role as string, url: `http://${target}/metrics` })),
    );
}
