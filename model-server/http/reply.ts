/** What a route answers; the server writes it, counts it and times it. */
export interface Reply {
  status: number;
  /** Serialised as JSON unless it is a string (the Prometheus text format). */
  body: unknown;
  contentType?: string;
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });
