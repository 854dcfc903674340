import { z } from 'zod';

/** Longer than any command; a paste past this is a mistake, not a command. */
export const MAX_TEXT_LENGTH = 4000;
/** The request body limit: a command plus JSON framing, with room to spare. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Another local user to act as (`/?as=lea`): a short name like an OS login, so it reads as one
 * in the audit log (`local:lea`) and in RBAC's `users`.
 */
export const actAsSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, 'a name to act as is 1 to 32 characters of a-z, 0-9, dot, underscore or dash, starting with a letter or digit');

const messageRefSchema = z.string().min(1).max(64);

export const messageRequestSchema = z.object({
  text: z.string().trim().min(1, 'type a command').max(MAX_TEXT_LENGTH, `a message is at most ${MAX_TEXT_LENGTH} characters`),
  /** A message in the thread being answered (a clarifying question's, say); the channel when absent. */
  threadRef: messageRefSchema.optional(),
  as: actAsSchema.optional(),
});

export const actionRequestSchema = z.object({
  command: z.string().trim().min(1, 'a command is required').max(MAX_TEXT_LENGTH),
  /** The message whose button or select was used; its thread is where the command runs. */
  messageRef: messageRefSchema.optional(),
  as: actAsSchema.optional(),
});

/** The page's address: `?as=` names whom this tab acts as; `?token=` is the guard's. */
export const pageQuerySchema = z.looseObject({ as: actAsSchema.optional() });

export const imageParamsSchema = z.object({
  ref: z.string().min(1).max(64),
  index: z.coerce.number().int().min(0).max(999),
});

/** One readable line for a 400 reply. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
