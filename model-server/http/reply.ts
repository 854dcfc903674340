/** What a route answers; the server writes it, counts it and times it. */
export interface Reply {
  status: number;
  /** Serialised as JSON unless it is a string (already JSON, or the Prometheus text format). */
  body: unknown;
  contentType?: string;
}

export const json = (body: unknown, status = 200): Reply => ({ status, body, contentType: undefined });

/** A body already written as JSON text (precomputed fragments on the hot path). */
export const rawJson = (text: string, status = 200): Reply => ({ status, body: text, contentType: undefined });
