/**
 * Every error a user may see is an OpsbotError: it carries a stable code and a
 * message written for the person in the channel (what was wrong, how to fix it).
 * Anything else is internal and is shown only as a short apology.
 */
export type ErrorCode =
  | 'invalid_command'
  | 'invalid_input'
  | 'permission_denied'
  | 'not_found'
  | 'confirmation_required'
  | 'conflict'
  | 'config_invalid'
  | 'job_failed'
  | 'unavailable';

export class OpsbotError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = new.target.name;
  }
}

/** The text could not be understood as a command; `hint` says how to write it. */
export class InvalidCommandError extends OpsbotError {
  constructor(userMessage: string) {
    super('invalid_command', userMessage);
  }
}

/** The command was understood but an argument is not acceptable. */
export class InvalidInputError extends OpsbotError {
  constructor(userMessage: string) {
    super('invalid_input', userMessage);
  }
}

export class PermissionDeniedError extends OpsbotError {
  constructor(userMessage: string) {
    super('permission_denied', userMessage);
  }
}

export class NotFoundError extends OpsbotError {
  constructor(userMessage: string) {
    super('not_found', userMessage);
  }
}

export class ConflictError extends OpsbotError {
  constructor(userMessage: string) {
    super('conflict', userMessage);
  }
}

export class ConfigError extends OpsbotError {
  constructor(readonly problems: string[]) {
    super('config_invalid', `opsbot cannot start, its configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Raised by a job handler for a failure that retrying cannot fix (bad dataset, missing version). */
export class PermanentJobError extends OpsbotError {
  constructor(userMessage: string, options?: { cause?: unknown }) {
    super('job_failed', userMessage, options);
  }
}

/** A service opsbot needs (Redis, say) cannot be reached now; the message says which and that opsbot keeps trying. */
export class ServiceUnavailableError extends OpsbotError {
  constructor(userMessage: string) {
    super('unavailable', userMessage);
  }
}

export function isOpsbotError(error: unknown): error is OpsbotError {
  return error instanceof OpsbotError;
}

/** The text a user sees for any error: the user message, or an apology that hides internals. */
export function userFacingMessage(error: unknown): string {
  if (isOpsbotError(error)) return error.userMessage;
  return 'Something went wrong on my side; the details are in the opsbot log. Please try again, and tell your opsbot admin if it keeps happening.';
}
