import { LRUCache } from 'lru-cache';
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

/**
 * Display names of Slack users (users.info), cached for an hour and bounded, so audit
 * records and job messages say who asked without one API call per message. Concurrent
 * asks for one user share one call; a failed call is not cached.
 */
export class UserDirectory {
  private readonly names: LRUCache<string, string, string>;

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    ttlMs = 3_600_000,
    maxEntries = 10_000,
  ) {
    this.names = new LRUCache<string, string, string>({ max: maxEntries, ttl: ttlMs, fetchMethod: (_key, _stale, { context }) => this.lookUp(context) });
  }

  /** The user's display name, or `fallback` (the payload's name, or the id) when Slack cannot say. */
  async displayName(workspace: string, userId: string, fallback?: string): Promise<string> {
    const name = await this.names.fetch(`${workspace}:${userId}`, { context: userId });
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
}
