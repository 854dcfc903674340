import { join, relative, sep } from 'node:path';

/**
 * The directory holding everything of one version, relative to the data directory: the
 * job's own directory under models/<model>/ (a tune's winner sits a level deeper, in
 * trial-N, beside its losers). Undefined for an artifact outside models/<model>/, which
 * opsbot did not place and never removes.
 */
export function versionHome(model: string, artifactPath: string): string | undefined {
  const modelDir = join('models', model);
  const inside = relative(modelDir, join(artifactPath)).split(sep);
  const [first] = inside;
  if (inside.length < 2 || !first || first === '..' || first === '') return undefined;
  return join(modelDir, first);
}
