import { z } from 'zod';
import type { WebClient } from './web-client.js';

const authTestSchema = z.looseObject({
  user_id: z.string().min(1),
  bot_id: z.string().optional(),
  team_id: z.string().optional(),
  team: z.string().optional(),
  user: z.string().optional(),
});

export interface BotIdentity {
  botUserId: string;
  botId?: string;
  teamId?: string;
  /** e.g. `opsbot` in `Acme` */
  description?: string;
}

/**
 * Who the bot is, from auth.test, asked once. Bolt would call auth.test itself from its
 * constructor, and a failure there surfaces as an unhandled rejection that kills the
 * process; here a failure is returned to the caller and asked again next time.
 */
export class BotIdentityCache {
  private known?: Promise<BotIdentity>;

  constructor(
    private readonly client: WebClient,
    preset?: { botUserId?: string; botId?: string },
  ) {
    if (preset?.botUserId && preset.botId) this.known = Promise.resolve({ botUserId: preset.botUserId, botId: preset.botId });
  }

  get(): Promise<BotIdentity> {
    if (!this.known) {
      const asking = this.ask();
      this.known = asking;
      asking.catch(() => {
        if (this.known === asking) this.known = undefined;
      });
    }
    return this.known;
  }

  private async ask(): Promise<BotIdentity> {
    const result = authTestSchema.parse(await this.client.auth.test());
    return {
      botUserId: result.user_id,
      botId: result.bot_id,
      teamId: result.team_id,
      description: result.user && result.team ? `${result.user} in ${result.team}` : undefined,
    };
  }
}
