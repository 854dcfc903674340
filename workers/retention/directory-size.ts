import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes of the files under `path` (0 when it is absent), to say what a deletion freed. */
export async function directorySize(path: string): Promise<number> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return (await stat(path).catch(() => undefined))?.size ?? 0;
  const sizes = await Promise.all(entries.map((entry) => (entry.isDirectory() ? directorySize(join(path, entry.name)) : stat(join(path, entry.name)).then((s) => s.size, () => 0))));
  return sizes.reduce((sum, size) => sum + size, 0);
}
