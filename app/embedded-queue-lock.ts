import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/index.js';

/**
 * The embedded queue lives in one process's memory, and at start-up that process settles
 * every job the store shows queued or running as left behind by a dead predecessor. A
 * second process on the same data directory would re-run, fail and delete the files of the
 * first one's live jobs, so only one may hold the queue: a lock file with its pid, taken
 * at start and removed at close. A file whose process is gone (killed, say) is taken over.
 */
export class EmbeddedQueueLock {
  private constructor(private readonly path: string) {}

  static take(dataDir: string): EmbeddedQueueLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'embedded-queue.lock');
    for (let tries = 0; tries < 2; tries++) {
      try {
        const fd = openSync(path, 'wx');
        writeFileSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new EmbeddedQueueLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      // Several runtimes in one process (tests) share it; another live process does not.
      if (holder === process.pid) return new EmbeddedQueueLock(path);
      if (Number.isInteger(holder) && isAlive(holder)) {
        throw new ConfigError([
          `another opsbot (pid ${holder}) runs the embedded job queue on ${dataDir}; stop it, give this one its own OPSBOT_DATA_DIR, or run several processes on Redis (REDIS_URL). If no such opsbot runs, delete ${path}`,
        ]);
      }
      rmSync(path, { force: true });
    }
    throw new ConfigError([`could not take ${path}: another opsbot is starting on the same data directory`]);
  }

  release(): void {
    try {
      if (Number.parseInt(readFileSync(this.path, 'utf8'), 10) === process.pid) rmSync(this.path, { force: true });
    } catch {
      // Already gone.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
