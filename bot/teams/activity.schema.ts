import { z } from 'zod';

/**
 * The fields of a Bot Framework activity opsbot reads (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object).
 * Loose: channels add fields freely, and the activity is passed on to botbuilder whole.
 */
const channelAccountSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  aadObjectId: z.string().nullish(),
});

export const incomingActivitySchema = z.looseObject({
  type: z.string().min(1),
  id: z.string().nullish(),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  from: channelAccountSchema,
  recipient: channelAccountSchema,
  conversation: z.looseObject({
    id: z.string().min(1),
    tenantId: z.string().nullish(),
    conversationType: z.string().nullish(),
  }),
  text: z.string().nullish(),
  name: z.string().nullish(),
  value: z.unknown().optional(),
  replyToId: z.string().nullish(),
  channelData: z.looseObject({ tenant: z.looseObject({ id: z.string() }).nullish() }).nullish(),
});

export type IncomingActivity = z.infer<typeof incomingActivitySchema>;
