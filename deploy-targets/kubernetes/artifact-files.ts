import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { ModelVersion } from '../../core/index.js';

/** The manifest every version's directory holds; it names the other files loading reads. */
export const MANIFEST_FILE = 'model.json';
/** A file name of a version: one path segment, no hidden files. */
export const ARTIFACT_FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

const manifestFilesSchema = z.object({ weightsFile: z.string().regex(ARTIFACT_FILE_NAME), onnxFile: z.string().regex(ARTIFACT_FILE_NAME) });

/** What the artifact route lists for a version and fetch-artifact checks each download against. */
export const artifactIndexSchema = z.object({
  model: z.string(),
  version: z.number().int().min(1),
  files: z.array(z.object({ name: z.string().regex(ARTIFACT_FILE_NAME), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).min(1),
});
export type ArtifactIndex = z.infer<typeof artifactIndexSchema>;

/** The version's directory, refusing a registry entry that points outside the data directory. */
export function versionDirectory(dataDir: string, version: Pick<ModelVersion, 'artifactPath'>): string | undefined {
  const root = resolve(dataDir);
  const dir = resolve(root, dirname(version.artifactPath));
  const inside = relative(root, dir);
  return inside.startsWith('..') || isAbsolute(inside) ? undefined : dir;
}

/** Exactly the files serving reads (model.json and the two it names), never whatever else the job left beside them. */
export async function artifactIndex(dir: string, version: Pick<ModelVersion, 'model' | 'version'>): Promise<ArtifactIndex> {
  const manifest = manifestFilesSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
  const names = [...new Set([MANIFEST_FILE, manifest.weightsFile, manifest.onnxFile])];
  const files = await Promise.all(names.map(async (name) => ({ name, size: (await stat(join(dir, name))).size, sha256: await sha256File(join(dir, name)) })));
  return { model: version.model, version: version.version, files };
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}
