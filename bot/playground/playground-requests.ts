import { z } from 'zod';

/** Longer than any command; a paste past this is a mistake, not a command. */
export const MAX_TEXT_LENGTH = 4000;
/** The request body limit: a command plus JSON framing, with room to spare. */
export const MAX_BODY_BYTES = 16 * 1024;

export const messageRequestSchema = z.object({
  text: z.string().trim().min(1, 'type a command').max(MAX_TEXT_LENGTH, `a message is at most ${MAX_TEXT_LENGTH} characters`),
});

export const actionRequestSchema = z.object({
  command: z.string().trim().min(1, 'a command is required').max(MAX_TEXT_LENGTH),
  /** The message whose button or select was used; its thread is where the command runs. */
  messageRef: z.string().min(1).max(64).optional(),
});

export const imageParamsSchema = z.object({
  ref: z.string().min(1).max(64),
  index: z.coerce.number().int().min(0).max(999),
});

/** One readable line for a 400 reply. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
