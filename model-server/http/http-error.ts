/** A request the server refuses, with the status code the protocol gives and a message for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 413 | 415 | 503,
    message: string,
    /** Extra response headers (Allow for 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
