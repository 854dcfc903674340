import { z } from 'zod';
import type { Logger } from '../../core/index.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { KnownBlock } from './render-block-kit.js';
import type { WebClient } from './web-client.js';

const clickedMessageSchema = z.looseObject({
  ts: z.string(),
  text: z.string().optional(),
  blocks: z.array(z.looseObject({ type: z.string() })).max(50).optional(),
});

/**
 * After a confirmation was answered, replaces its buttons with who answered and how, so
 * nobody clicks a request that is already settled. Slack's payload carries the clicked
 * message's blocks; they are sent back without the actions blocks.
 */
export async function retireButtons(
  client: WebClient,
  log: Logger,
  input: { channel: string; message: unknown; userId: string; choice: string },
): Promise<void> {
  const parsed = clickedMessageSchema.safeParse(input.message);
  if (!parsed.success || !parsed.data.blocks) return;
  const kept = parsed.data.blocks.filter((block) => block.type !== 'actions').slice(0, 49);
  const answered = { type: 'context', elements: [{ type: 'mrkdwn', text: `<@${input.userId}> chose *${escapeMrkdwn(input.choice)}*` }] };
  try {
    await client.chat.update({
      channel: input.channel,
      ts: parsed.data.ts,
      text: parsed.data.text ?? input.choice,
      // Slack's own blocks, sent back as Slack gave them.
      blocks: [...kept, answered] as unknown as KnownBlock[],
    });
  } catch (error) {
    log.warn({ err: error, channel: input.channel }, 'could not remove the buttons of an answered confirmation');
  }
}
