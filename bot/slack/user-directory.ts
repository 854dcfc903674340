import { z } from 'zod';
import type { Logger } from '../../core/index.js';
import type { WebClient } from './web-client.js';

const usersInfoSchema = z.looseObject({
  user: z.looseObject({
    name: z.string().optional(),
    real_name: z.string().optional(),
    profile: z.looseObject({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});

interface Entry {
  name: string;
  expires: number;
}

/**
 * Display names of Slack users (users.info), cached for an hour and bounded, so audit
 * records and job messages say who asked without one API call per message.
 */
export class UserDirectory {
  private readonly names = new Map<string, Entry>();
  private readonly asking = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    private readonly ttlMs = 3_600_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The user's display name, or `fallback` (the payload's name, or the id) when Slack cannot say. */
  async displayName(workspace: string, userId: string, fallback?: string): Promise<string> {
    const key = `${workspace}:${userId}`;
    const cached = this.names.get(key);
    if (cached && cached.expires > Date.now()) return cached.name;
    let pending = this.asking.get(key);
    if (!pending) {
      pending = this.lookUp(userId).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
    }
    const name = await pending;
    if (name) this.remember(key, name);
    return name ?? fallback ?? userId;
  }

  private async lookUp(userId: string): Promise<string | undefined> {
    try {
      const { user } = usersInfoSchema.parse(await this.client.users.info({ user: userId }));
      const name = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name;
      return name?.trim() || undefined;
    } catch (error) {
      this.log.warn({ err: error, userId }, 'users.info failed; using the name from the request');
      return undefined;
    }
  }

  private remember(key: string, name: string): void {
    this.names.delete(key);
    this.names.set(key, { name, expires: Date.now() + this.ttlMs });
    while (this.names.size > this.maxEntries) {
      const oldest = this.names.keys().next();
      if (oldest.done) break;
      this.names.delete(oldest.value);
    }
  }
}
