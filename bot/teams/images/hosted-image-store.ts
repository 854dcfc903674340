import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface HostedImageStoreOptions {
  /**
   * Total bytes kept; past it the oldest images go.
   * @defaultValue 256 MiB (about 5,000 charts)
   */
  maxBytes?: number;
  /**
   * Images older than this go when the next one is stored.
   * @defaultValue 90 days
   */
  maxAgeMs?: number;
}

/** randomUUID's shape: 122 random bits, so an id cannot be guessed, and nothing else can name a file. */
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * PNGs kept under unguessable ids for Teams to fetch: Teams fetches without credentials, so
 * the id is the only key. On disk rather than in memory because Teams fetches a card's image
 * again whenever the card is shown, days later, and a restart must not blank every chart
 * already posted; the data dir is also shared by every opsbot process. Bounded by total size
 * and age, checked whenever an image is stored.
 */
export class HostedImageStore {
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly dir: string,
    options: HostedImageStoreOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.maxAgeMs = options.maxAgeMs ?? 90 * 24 * 60 * 60 * 1000;
  }

  /** Stores `png` under a fresh id and returns the id. */
  async put(png: Uint8Array): Promise<string> {
    const id = randomUUID();
    const file = this.fileOf(id);
    await mkdir(this.dir, { recursive: true });
    // Written aside and renamed, so a request never reads half an image.
    await writeFile(`${file}.partial`, png);
    await rename(`${file}.partial`, file);
    await this.prune();
    return id;
  }

  /** The image stored under `id`; undefined for an unknown id or anything that is not an id. */
  async get(id: string): Promise<Uint8Array | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    try {
      return await readFile(this.fileOf(id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}.png`);
  }

  /** Keeps the newest images within maxBytes and maxAgeMs. */
  private async prune(): Promise<void> {
    const files: Array<{ path: string; size: number; mtimeMs: number }> = [];
    for (const name of await readdir(this.dir)) {
      const path = join(this.dir, name);
      // Another process may have pruned it since readdir.
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile()) files.push({ path, size: info.size, mtimeMs: info.mtimeMs });
    }
    files.sort((a, b) => b.mtimeMs - a.mtimeMs);
    const oldestKept = Date.now() - this.maxAgeMs;
    let total = 0;
    for (const file of files) {
      total += file.size;
      if (total > this.maxBytes || file.mtimeMs < oldestKept) await rm(file.path, { force: true });
    }
  }
}
