import { z } from 'zod';
import { ServiceUnavailableError } from '../core/index.js';

const createdSchema = z.object({ silenceID: z.string().min(1) });

export interface SilenceRequest {
  /** Equality matchers, one per label. */
  labels: Record<string, string>;
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
}

/** Alertmanager's silences API (api/v2/openapi.yaml): POST /api/v2/silences, DELETE /api/v2/silence/{silenceID}. */
export class AlertmanagerClient {
  private readonly base: string;

  constructor(url: string, private readonly timeoutMs = 10_000) {
    this.base = url.replace(/\/+$/, '');
  }

  async createSilence(request: SilenceRequest): Promise<string> {
    const body = {
      matchers: Object.entries(request.labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
      startsAt: request.startsAt.toISOString(),
      endsAt: request.endsAt.toISOString(),
      createdBy: request.createdBy,
      comment: request.comment,
    };
    const response = await this.call('POST', '/api/v2/silences', body);
    return createdSchema.parse(await response.json()).silenceID;
  }

  /** Expires a silence; one already expired or gone counts as done. */
  async expireSilence(silenceId: string): Promise<void> {
    await this.call('DELETE', `/api/v2/silence/${encodeURIComponent(silenceId)}`, undefined, [404]);
  }

  private async call(method: string, path: string, body: unknown, alsoOk: number[] = []): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ServiceUnavailableError(`Alertmanager at ${this.base} could not be reached (${(error as Error).message}); try again, or silence it in Alertmanager`);
    }
    if (!response.ok && !alsoOk.includes(response.status)) {
      const text = (await response.text()).slice(0, 300);
      throw new ServiceUnavailableError(`Alertmanager refused ${method} ${path} (${response.status}: ${text.trim()})`);
    }
    return response;
  }
}
