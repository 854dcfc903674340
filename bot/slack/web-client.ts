import { webApi, type Logger as BoltLogger } from '@slack/bolt';

export type WebClient = webApi.WebClient;
export type RetryOptions = webApi.RetryOptions;

/**
 * How hard opsbot retries a Web API call: rate limits (429) wait for Retry-After inside
 * the client, then count as one retry; six retries with backoff ride out a minute or so
 * of trouble without hanging a reply for half an hour (the client's default).
 */
export const DEFAULT_RETRY: RetryOptions = { retries: 6, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true };

export interface WebClientSettings {
  token?: string;
  /** Slack's Web API base, ending in `/`; tests point it at a local fake. */
  slackApiUrl: string;
  logger: BoltLogger;
  retryConfig: RetryOptions;
  timeoutMs: number;
}

/** The WebClient options opsbot uses, for its own client and for Bolt's. */
export function webClientOptions(settings: WebClientSettings): webApi.WebClientOptions {
  return { slackApiUrl: settings.slackApiUrl, logger: settings.logger, retryConfig: settings.retryConfig, timeout: settings.timeoutMs };
}

export function createWebClient(settings: WebClientSettings): WebClient {
  return new webApi.WebClient(settings.token, webClientOptions(settings));
}

/** Web API base URL with the trailing slash the client's `${base}${method}` needs. */
export function normalizeApiUrl(url: string | undefined): string {
  const base = url ?? 'https://slack.com/api/';
  return base.endsWith('/') ? base : `${base}/`;
}

/** The `error` of a Web API `{ok:false}` answer (`invalid_blocks`, `not_in_channel`…), if that is what failed. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  if (code !== webApi.ErrorCode.PlatformError) return undefined;
  return typeof data?.error === 'string' ? data.error : undefined;
}
